"""Build the recovery-phrase word lists in journal/wordlists/ (run by hand, rarely).

    python3 -m venv /tmp/wl && /tmp/wl/bin/pip install wordfreq diceware
    apt-get install wdutch wbritish
    /tmp/wl/bin/python tools/make_wordlists.py

English: the EFF large word list (7,776 words, CC BY 3.0), as shipped by the `diceware` package,
topped up with frequent words from Debian's `wbritish` for those screened out.
Dutch: OpenTaal's word list (Debian package `wdutch`), plain lowercase words of 4 to 8 letters,
the 7,776 most frequent by `wordfreq`. Both lists leave out every word that touches the
subject of the site (see tools/blocklist-*.txt): a phrase must never upset the person it is for.
The site needs no tool at run time: the lists are committed as data.
"""

import re
from importlib import resources
from pathlib import Path

import wordfreq

ROOT = Path(__file__).resolve().parents[1]
SIZE = 7776
MINIMUM = 7416  # 7 words from 7,416 give 90 bits
ENGLISH_POOL = 1700  # frequent English words screened by hand (tools/exclude-en.txt)
DUTCH_POOL = 10400  # frequent Dutch words screened by hand (tools/exclude-nl.txt)


def stems(language: str) -> list[str]:
    lines = (ROOT / "tools" / f"blocklist-{language}.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def blocked(word: str, language_stems: list[str]) -> bool:
    return any(word.startswith(s) if len(s) <= 4 else s in word for s in language_stems)


def english_pool(eff: set[str], size: int) -> list[str]:
    """Frequent English words beyond the EFF list (Debian's `wbritish`), to top the list up."""
    lines = Path("/usr/share/dict/british-english").read_text(encoding="utf-8").splitlines()
    names = {w.lower() for w in lines if w[:1].isupper()}
    block, manual = stems("en"), excluded("en")
    pool = [
        w
        for w in set(lines)
        if re.fullmatch(r"[a-z]{4,8}", w)
        and w not in names
        and w not in eff
        and not blocked(w, block)
    ]
    pool.sort(key=lambda w: (-wordfreq.zipf_frequency(w, "en"), w))
    return [w for w in pool[:size] if w not in manual]


def english() -> list[str]:
    """The EFF list, screened; what screening removed is made up from frequent English words."""
    text = resources.files("diceware").joinpath("wordlists/wordlist_en_eff.txt").read_text()
    eff = {line.split("\t")[1].strip() for line in text.splitlines() if "\t" in line}
    assert len(eff) == SIZE
    block, manual = stems("en"), excluded("en")
    # Plain words only: a hyphen would read as two words once the phrase is normalised.
    kept = {
        w for w in eff if re.fullmatch(r"[a-z]+", w) and not blocked(w, block) and w not in manual
    }
    extra = english_pool(eff, ENGLISH_POOL)
    return sorted(kept | set(extra[: SIZE - len(kept)]))


def excluded(language: str) -> set[str]:
    """Words a person screened out by hand (tools/exclude-<language>.txt)."""
    path = ROOT / "tools" / f"exclude-{language}.txt"
    if not path.exists():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()}


def dutch_pool(size: int = DUTCH_POOL) -> list[str]:
    """The most frequent plain Dutch words (OpenTaal's list), before screening by hand."""
    lines = Path("/usr/share/dict/dutch").read_text(encoding="utf-8").splitlines()
    names = {w.lower() for w in lines if w[:1].isupper()}  # first names, places, brands
    candidates = {w for w in lines if re.fullmatch(r"[a-z]{4,8}", w) and w not in names}
    block = stems("nl")
    kept = [w for w in candidates if not blocked(w, block)]
    # Dutch words people use, not English loanwords that happen to be in the dictionary.
    kept = [w for w in kept if wordfreq.zipf_frequency(w, "nl") >= wordfreq.zipf_frequency(w, "en")]
    kept.sort(key=lambda w: (-wordfreq.zipf_frequency(w, "nl"), w))
    return kept[:size]


def dutch() -> list[str]:
    """The screened pool: only words a person has read make it in."""
    manual = excluded("nl")
    return sorted([w for w in dutch_pool() if w not in manual][:SIZE])


def write(language: str, words: list[str], source: str) -> None:
    assert len(words) >= MINIMUM, (language, len(words))
    assert len(set(words)) == len(words)
    path = ROOT / "journal" / "wordlists" / f"{language}.txt"
    header = f"# {source}\n# {len(words)} words; made by tools/make_wordlists.py.\n"
    path.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(words)} words")


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--dutch-pool"]:  # the pool to screen by hand
        print("\n".join(sorted(dutch_pool(int(sys.argv[2])))))
        raise SystemExit
    write(
        "en",
        english(),
        "EFF large word list (CC BY 3.0, eff.org) and frequent words from wbritish, screened",
    )
    write("nl", dutch(), "OpenTaal word list (wdutch), by wordfreq frequency, screened")

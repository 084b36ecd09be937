"""Pages are sent gzip-compressed (core/http/compression.py), with Django's rules and padding."""

from __future__ import annotations

import gzip

import pytest
from django.http import HttpResponse

from core.http.compression import CompressionMiddleware, compress
from tests.helpers.walk import start_journal


def test_a_page_is_sent_compressed_and_reads_the_same(client, module):
    start_journal(client, module)
    url = f"/m/{module.id}/{module.steps[6].id}/"
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    html = gzip.decompress(packed.content).decode()
    # The same page but for the form's token, which is masked afresh on every page.
    masked = 'name="csrfmiddlewaretoken" value="'
    assert html.split(masked)[0] == plain.content.decode().split(masked)[0]
    assert html.rstrip().endswith("</html>")


def test_short_bodies_and_browsers_without_gzip_get_plain_bytes(client, rf):
    assert "Content-Encoding" not in client.get("/")  # no Accept-Encoding: plain
    response = client.get("/does-not-exist/", HTTP_ACCEPT_ENCODING="gzip")  # error pages too
    assert response.status_code == 404 and response["Content-Encoding"] == "gzip"
    assert b"<h1>" in gzip.decompress(response.content)
    short = b"<p>" + b"x" * 150 + b"</p>"
    middleware = CompressionMiddleware(lambda request: HttpResponse(short))
    response = middleware(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"))
    assert response.content == short and "Content-Encoding" not in response


def test_the_compressed_length_varies_so_it_does_not_tell_what_the_page_holds():
    page = ("<p>" + "the same words every time " * 200 + "</p>").encode()
    sizes = {len(compress(page)) for _ in range(40)}
    assert len(sizes) > 10  # BREACH: a random-length filler in the gzip header
    assert all(gzip.decompress(compress(page)) == page for _ in range(5))


def test_the_filler_sits_in_the_name_field_of_a_header_with_no_other_flag(monkeypatch):
    import gzip as gzip_module

    from core.http import compression

    page = b"<p>" + b"the same words again " * 200 + b"</p>"
    sent = compress(page)
    assert sent[3] == gzip_module.FNAME  # the only flag: the filler is the name
    name_end = sent.index(b"\x00", 10)
    assert set(sent[10:name_end]) <= {ord("a")}
    assert gzip_module.decompress(sent) == page
    # Should igzip ever write a flag of its own, compression stops rather than corrupt pages.
    real = compression.igzip.compress

    def flagged(data, level, mtime=0):
        out = bytearray(real(data, level, mtime=mtime))
        out[3] = gzip_module.FCOMMENT
        return bytes(out)

    monkeypatch.setattr(compression.igzip, "compress", flagged)
    with pytest.raises(RuntimeError, match="header flags"):
        compress(page)

"""Gunicorn settings for `make run` and production. No access log: it would record visitors."""

import gc
import logging
import os

workers = int(os.environ.get("BAKEN_WORKERS", "2"))
# Load the app once in the master: invalid content stops the server before it serves anything.
preload_app = True
accesslog = None
errorlog = "-"
loglevel = "warning"
# Heartbeat files in memory, not on disk (gunicorn's advice for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
forwarded_allow_ips = os.environ.get("BAKEN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):  # noqa: ARG001 (gunicorn's hook signature)
    """Before each worker is forked: what loading the app made (Django, the content, the
    templates) lives as long as the process, so move it out of the garbage collector's sight.
    A full collection then no longer walks some 80,000 objects (about 25 ms, during which a
    worker answers nobody), and the workers keep sharing those pages with the master."""
    gc.freeze()


def worker_exit(server, worker):  # noqa: ARG001 (gunicorn's hook signature)
    """A worker that stops writes the evaluation's rows and counts still waiting for a batch."""
    from evaluation.service import flush

    flush()


class NoVisitorDetails(logging.Filter):
    """Gunicorn's error log without what identifies a visitor or repeats what they sent: its
    "Invalid request from ip=<address>: <the error, quoting the request>" and "Error handling
    request <method> <path>" keep only what happened (threat model: no address, request line,
    Host or browser in any log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("Invalid request from"):
            record.msg, record.args = "Invalid request refused", ()
        elif message.startswith("Error handling request"):
            record.msg, record.args = "Error handling request", ()
        return True


def on_starting(server):
    """Before anything is served (the workers inherit the filtered logger)."""
    server.log.error_log.addFilter(NoVisitorDetails())

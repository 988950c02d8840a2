"""SMTP over TLS with the certificate checked (issue 18): STARTTLS and implicit TLS (port
465) against an aiosmtpd server with a self-signed certificate, accepted only when that
certificate is the configured CA (MAIL_CA_FILE)."""

from __future__ import annotations

import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller

from indsatsteam import mail

from reminder_helpers import Collector, free_port


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def _server_context(certificate) -> ssl.SSLContext:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context


@pytest.fixture
def tls_server(certificate):
    """start(implicit) → (port, collector); stopped after the test."""
    started = []

    def start(implicit: bool):
        handler = Collector()
        context = _server_context(certificate)
        kwargs = {"ssl_context": context} if implicit else {"tls_context": context,
                                                            "require_starttls": True}
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
        controller.start()
        started.append(controller)
        return controller.port, handler

    yield start
    for controller in started:
        controller.stop()


def _configure(app, monkeypatch, port, *, implicit: bool, ca_file=None) -> None:
    for key, value in (("MAIL_BACKEND", "smtp"), ("MAIL_SERVER", "127.0.0.1"),
                       ("MAIL_PORT", port), ("MAIL_USE_TLS", not implicit),
                       ("MAIL_USE_SSL", implicit), ("MAIL_USERNAME", None),
                       ("MAIL_CA_FILE", str(ca_file) if ca_file else None)):
        monkeypatch.setitem(app.config, key, value)


def _message():
    return mail.message_from_parts("kim@example.dk", "Prøve", "Hej", "<p>Hej</p>")


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "implicit-tls"])
def test_mail_goes_over_tls_when_the_certificate_is_trusted(app, monkeypatch, tls_server,
                                                            certificate, implicit):
    port, collector = tls_server(implicit)
    _configure(app, monkeypatch, port, implicit=implicit, ca_file=certificate[0])
    mail.deliver(_message())
    assert [to for envelope in collector.envelopes for to in envelope.rcpt_tos] == [
        "kim@example.dk"]


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "implicit-tls"])
def test_an_unverified_certificate_is_refused(app, monkeypatch, tls_server, implicit):
    """Before, starttls() had no context and took any certificate (a man in the middle)."""
    port, collector = tls_server(implicit)
    _configure(app, monkeypatch, port, implicit=implicit)
    with pytest.raises(ssl.SSLCertVerificationError):
        mail.deliver(_message())
    assert collector.envelopes == []


def test_the_context_checks_host_names_and_certificates(app):
    context = mail.tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname

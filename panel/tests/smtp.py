"""A real SMTP server on loopback for the mail tests (aiosmtpd), keeping every message it receives."""
import datetime
import email
import email.policy
import ipaddress
import ssl
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from world import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list
    message: email.message.EmailMessage
    login: str = None
    tls: bool = False

    def part(self, content_type):
        return self.message.get_body(preferencelist=(content_type.split("/")[1],)).get_content()


@dataclass
class SmtpServer:
    port: int
    credentials: tuple = None
    received: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        login = session.auth_data.login.decode() if session.auth_data else None
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, login,
                                      tls=session.ssl is not None))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login.decode(), auth_data.password.decode()) == self.credentials
        return AuthResult(success=ok, handled=False, auth_data=auth_data)


def tls_files(directory):
    """A test CA and a certificate for 127.0.0.1 signed by it; returns (ca_file, cert_file, key_file)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def certificate(subject, issuer, public_key, signer, ca, san=None):
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if san:
            builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate(name("panel mail test CA"), name("panel mail test CA"), ca_key.public_key(), ca_key, True)
    cert = certificate(name("127.0.0.1"), ca.subject, key.public_key(), ca_key, False,
                       [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    paths = [directory / "ca.pem", directory / "cert.pem", directory / "key.pem"]
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return [str(p) for p in paths]


def start(credentials=None, tls=None):
    """An SMTP server on 127.0.0.1 and a free port. With `tls` (cert_file, key_file) it offers STARTTLS and
    requires it; with credentials (login, password) it also requires AUTH (over TLS only)."""
    server = SmtpServer(port=free_port(), credentials=credentials)
    options = {}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        options.update(tls_context=context, require_starttls=True)
    if credentials:
        options.update(authenticator=server.authenticate, auth_required=True)
    controller = Controller(server, hostname="127.0.0.1", port=server.port, **options)
    controller.start()
    return server, controller

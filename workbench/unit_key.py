"""The unit key: one signing key, outside the database, for the audit chain and the bundles.

A counter-corruption unit makes it once (``workbench key init --unit NAME``) and gives the
file to each investigator as it gives them the store. It holds an ECDSA P-256 private key
and a self-signed X.509 certificate naming the unit, PEM-encoded in one file of mode 0600
in the user's configuration folder.

- The audit chain signs each entry's hash with it, so a chain recomputed by hand after an
  edit no longer verifies (whoever can write to the database cannot sign).
- Bundles are signed with it as PAdES signatures, which any PDF reader can show.

ECDSA P-256 rather than Ed25519 because PDF readers validate it; signatures verify with the
certificate alone, so a verifier never needs the private key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from workbench.config import config_dir
from workbench.errors import WorkbenchError

KEY_FILE_NAME = "unit-key.pem"
VALIDITY = dt.timedelta(days=3653)


@dataclass(frozen=True)
class UnitKey:
    """The unit's private key and its certificate, as loaded from the key file."""

    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    path: Path

    @property
    def unit(self) -> str:
        return certificate_subject(self.certificate)

    @property
    def fingerprint(self) -> str:
        return certificate_fingerprint(self.certificate)

    def sign(self, data: bytes) -> bytes:
        """A DER-encoded ECDSA-SHA256 signature of ``data``."""
        return self.private_key.sign(data, ec.ECDSA(hashes.SHA256()))

    def key_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def key_path() -> Path:
    """Where the unit key lives: ``WORKBENCH_UNIT_KEY``, else the configuration folder."""
    explicit = os.environ.get("WORKBENCH_UNIT_KEY")
    return Path(explicit) if explicit else config_dir() / KEY_FILE_NAME


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate (hex): names the key in audit entries and manifests."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def certificate_subject(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def verify_signature(certificate: x509.Certificate, data: bytes, signature: bytes) -> bool:
    """True when ``signature`` is the certificate's key's signature of ``data``."""
    public_key = certificate.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        return False
    try:
        public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def init(unit: str, path: Path | None = None, force: bool = False) -> UnitKey:
    """Create the unit key file (mode 0600); refuse to replace one unless ``force``."""
    path = path or key_path()
    if path.exists() and not force:
        raise WorkbenchError(f"{path}: a unit key already exists (use --force to replace it; "
                             "entries and bundles signed with the old key then no longer "
                             "verify with the new one)")
    if not unit.strip():
        raise WorkbenchError("the unit's name is empty")
    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, unit.strip()),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME,
                                         "Investigator Workbench unit key")])
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                              ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()),
                       critical=False)
        .sign(private_key, hashes.SHA256())
    )
    key = UnitKey(private_key, certificate, path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.key_pem() + key.certificate_pem())
    os.replace(temporary, path)
    return key


def load(path: Path | None = None) -> UnitKey | None:
    """The unit key, or None when this workstation has none yet."""
    path = path or key_path()
    if not path.exists():
        return None
    if path.stat().st_mode & 0o077:
        raise WorkbenchError(f"{path}: the unit key file is readable by others "
                             f"(mode {path.stat().st_mode & 0o777:o}); chmod 600 it")
    data = path.read_bytes()
    try:
        private_key = serialization.load_pem_private_key(data, password=None)
        certificate = x509.load_pem_x509_certificate(data)
    except ValueError as exc:
        raise WorkbenchError(f"{path}: not a unit key file ({exc})") from exc
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):
        raise WorkbenchError(f"{path}: the unit key is not an ECDSA key")
    public_key = certificate.public_key()
    if (not isinstance(public_key, ec.EllipticCurvePublicKey)
            or private_key.public_key().public_numbers() != public_key.public_numbers()):
        raise WorkbenchError(f"{path}: the certificate does not belong to the key")
    return UnitKey(private_key, certificate, path)


def require() -> UnitKey:
    """The unit key, or a clear error saying how to create it."""
    key = load()
    if key is None:
        raise WorkbenchError(f"no unit key at {key_path()}: run `workbench key init --unit NAME` "
                             "(or copy the unit's key file there)")
    return key

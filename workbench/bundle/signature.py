"""The bundle's signature: a PAdES signature made with the unit key (pyHanko).

A PDF reader shows who signed the bundle and whether it has changed since; the
signature covers the whole file, so any change after signing -- an edited page,
an appended revision, a replaced manifest -- breaks it. The certificate is the
unit's own self-signed certificate (``workbench key init``), so the signature
proves which key signed; that the key is the unit's is shown by comparing its
fingerprint with the unit key on this workstation, or by the export recorded
with the file's hash in the case's audit chain (``verify-bundle --case``).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from workbench.unit_key import UnitKey, certificate_fingerprint, certificate_subject

FIELD_NAME = "UnitSignature"
logging.getLogger("pyhanko").setLevel(logging.ERROR)  # its warnings are reported as problems


def sign_pdf(data: bytes, key: UnitKey, reason: str, location: str) -> bytes:
    """``data`` with a PAdES (ETSI.CAdES.detached) signature by ``key`` over the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    certificate = asn1_x509.Certificate.load(
        key.certificate.public_bytes(serialization.Encoding.DER))
    private = asn1_keys.PrivateKeyInfo.load(key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    signer = signers.SimpleSigner(signing_cert=certificate, signing_key=private,
                                  cert_registry=SimpleCertificateStore.from_certs([certificate]))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, reason=reason,
        location=location, name=key.unit, md_algorithm="sha256")
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False), meta,
                     signer=signer, output=out)
    return out.getvalue()


@dataclass
class SignatureCheck:
    """What the signature shows: ``problem`` is None when it is intact and covers the file."""

    signer: str = ""
    fingerprint: str = ""
    signed_at: datetime | None = None
    problem: str | None = None


def check_signature(data: bytes) -> SignatureCheck:
    """Validate the bundle's one signature against its own certificate."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - any parse failure means: not a signed bundle
        return SignatureCheck(problem=f"the PDF cannot be read for its signature ({exc})")
    if not signatures:
        return SignatureCheck(problem="the bundle is not signed (no PDF signature)")
    if len(signatures) != 1:
        return SignatureCheck(problem=f"the bundle has {len(signatures)} signatures, expected one")
    embedded = signatures[0]
    cert = x509.load_der_x509_certificate(embedded.signer_cert.dump())
    check = SignatureCheck(signer=certificate_subject(cert), fingerprint=certificate_fingerprint(cert))
    try:
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[embedded.signer_cert]))
    except Exception as exc:  # noqa: BLE001 - a broken signature is a finding, not a crash
        check.problem = f"the signature cannot be checked ({exc})"
        return check
    check.signed_at = status.signer_reported_dt
    if not status.intact or not status.valid:
        check.problem = ("the signature does not match the content: the bundle has been "
                         "altered since it was signed")
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        check.problem = ("the file has been changed after it was signed (content was added "
                         "after the signature)")
    return check

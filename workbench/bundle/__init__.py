"""Evidential PDF bundles: sections, anonymisation, manifest, signature and verification."""

from workbench.bundle.export import BundleResult, export_bundle
from workbench.bundle.verify import verify_bundle

__all__ = ["BundleResult", "export_bundle", "verify_bundle"]

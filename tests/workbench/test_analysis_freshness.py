"""The markers are out of date once the evidence changes; bundles wait for a fresh analysis."""

from __future__ import annotations

import pytest

from tests.workbench.test_ingest_tabular import INGEST
from workbench.analysis import run_analysis
from workbench.analysis.freshness import evidence_changed_since_analysis
from workbench.bundle import export_bundle
from workbench.errors import WorkbenchError
from workbench.ingest.pipeline import import_file
from workbench.ingest.withdraw import withdraw_exhibit
from workbench.store import Store
from workbench.store.queries import find_case

BILLING = INGEST / "cdr_uk_layout.csv"


def changed(store: Store) -> str | None:
    with store.reader() as session:
        return evidence_changed_since_analysis(session, find_case(session, "OP-WILLOW"))


def test_imports_and_withdrawals_make_the_markers_out_of_date(willow: Store, tmp_path) -> None:
    assert changed(willow) is None
    first = import_file(willow, "OP-WILLOW", BILLING)
    assert changed(willow).startswith(  # type: ignore[union-attr]
        f"the evidence has changed and the case has not been analysed yet (exhibit {first.exhibit} "
        "imported, ")
    with pytest.raises(WorkbenchError, match="run the analysis again .*before exporting a bundle"):
        export_bundle(willow, "OP-WILLOW", tmp_path / "early.pdf", audience="internal")
    assert not (tmp_path / "early.pdf").exists()
    run_analysis(willow, "OP-WILLOW")
    assert changed(willow) is None
    import_file(willow, "OP-WILLOW", BILLING, replace="wrong options")
    assert f"(exhibit {first.exhibit} read again, " in changed(willow)  # type: ignore[operator]
    run_analysis(willow, "OP-WILLOW")
    withdraw_exhibit(willow, "OP-WILLOW", first.exhibit, "wrong case")
    assert changed(willow).startswith(  # type: ignore[union-attr]
        f"the evidence has changed since the last analysis (exhibit {first.exhibit} withdrawn, ")
    run_analysis(willow, "OP-WILLOW")
    result = export_bundle(willow, "OP-WILLOW", tmp_path / "bundle.pdf", audience="internal")
    assert result.pages > 0


def test_case_show_says_when_the_markers_may_be_out_of_date(cli_env, capsys) -> None:
    import json

    from tests.conftest import DATA
    from workbench.cli import main

    main(["case", "create", str(DATA / "willow.toml")])
    main(["import", "OP-WILLOW", str(BILLING)])
    capsys.readouterr()
    assert main(["case", "show", "OP-WILLOW"]) == 0
    assert "Markers may be out of date: the evidence has changed and the case has not been " \
           "analysed yet" in capsys.readouterr().out
    main(["analyse", "OP-WILLOW"])
    capsys.readouterr()
    assert main(["case", "show", "OP-WILLOW", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["markers_out_of_date"] is None

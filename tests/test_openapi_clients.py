"""Clients generated from the live OpenAPI document work, and every exchange
they make validates against that document.

A real server on loopback serves the app through a recorder; the document is
fetched from it, validated, and fed to openapi-generator (``-g python``) and
openapi-python-client (with examples/openapi-python-client.yaml). Both clients
are pip-installed into a target folder (cached by the document's hash and the
tool versions) and then render, batch, run a job, import and lint against the
server. openapi-core checks every recorded request and response.
"""
from __future__ import annotations

import copy
import hashlib
import importlib
import importlib.metadata
import io
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx as python_docx
import httpx
import pytest
from tests.support import ROOT, SHARED_DIR, require_tool
from werkzeug.serving import make_server
from werkzeug.wrappers import Request as WzRequest
from werkzeug.wrappers import Response as WzResponse

from service import create_app
from service.api.openapi import CONTRACT_REPORT
from service.model import validate_report

pytestmark = pytest.mark.slow

CONFIG = ROOT / "examples" / "openapi-python-client.yaml"
ADMIN_KEY = "admin-key-for-clients"
TOOLS = ("openapi-generator-cli", "openapi-python-client", "openapi-core")
# Our own hang guards (never speed checks): generation, pip, a job.
GENERATE_TIMEOUT_S = 600
JOB_TIMEOUT_S = 120

REPORT = {k: v for k, v in CONTRACT_REPORT.items() if k != "unit_template"}  # renderable as sent
SHORT = {"title": "青山镇2025年工作总结", "preamble": ["今年以来，我们认真履职。"],
         "sections": [{"heading": "主要工作", "paragraphs": ["抓好学习。"]}], "signature": "青山镇人民政府", "date": "2025-12-05"}
NO_BODY = {"title": "只有标题", "date": "2025-02-30"}  # valid by the schema, refused by the service
IMPORT_TEXT = "某镇2025年工作总结\n\n一、主要工作\n抓好各项工作。\n二、存在问题\n仍有不足。\n\n某镇人民政府\n2025年12月1日\n"


# --------------------------------------------------------------------------
# The live server and its recorder


@dataclass
class Exchange:
    environ: dict[str, Any]
    body: bytes
    status: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    data: bytes = b""

    def request(self) -> WzRequest:
        environ = dict(self.environ, **{"wsgi.input": io.BytesIO(self.body)})
        return WzRequest(environ)

    def response(self) -> WzResponse:
        return WzResponse(self.data, status=self.status, headers=self.headers)


class Recorder:
    """WSGI middleware keeping each request and response as sent on the wire."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.exchanges: list[Exchange] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        kept = {k: v for k, v in environ.items() if isinstance(v, (str, int, bool, tuple))}
        exchange = Exchange(kept, body)

        def recording_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            exchange.status, exchange.headers = int(status.split()[0]), list(headers)
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start)
        try:
            exchange.data = b"".join(result)  # the zip streams: keep it whole
        finally:
            getattr(result, "close", lambda: None)()
        with self.lock:
            self.exchanges.append(exchange)
        return [exchange.data]


@dataclass
class Live:
    url: str
    app: Any
    recorder: Recorder
    spec: dict[str, Any]
    raw_spec: bytes

    @contextmanager
    def checked(self) -> Iterator[list[Exchange]]:
        """Yields the exchanges made inside the block, then validates them all."""
        start = len(self.recorder.exchanges)
        made: list[Exchange] = []
        yield made
        made.extend(self.recorder.exchanges[start:])
        assert made, "no exchange was recorded"
        assert_conform(self.spec, made)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    instance = tmp_path_factory.mktemp("clients-instance")
    app = create_app({"TESTING": True, "SECRET_KEY": "clients", "INSTANCE_PATH": str(instance),
                      "ADMIN_KEYS": ADMIN_KEY, "JOB_STALE_S": 2})
    recorder = Recorder(app.wsgi_app)
    app.wsgi_app = recorder  # type: ignore[method-assign]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        raw = httpx.get(f"{url}/api/openapi.json", timeout=30).content
        yield Live(url, app, recorder, json.loads(raw), raw)
    finally:
        server.shutdown()
        thread.join(timeout=30)  # hang guard


def assert_conform(spec: dict[str, Any], exchanges: list[Exchange]) -> None:
    from openapi_core import OpenAPI
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse

    api = OpenAPI.from_dict(spec)
    mismatches = []
    for ex in exchanges:
        request = WerkzeugOpenAPIRequest(ex.request())
        where = f"{ex.environ['REQUEST_METHOD']} {ex.environ['PATH_INFO']} → {ex.status}"
        errors = [*api.unmarshal_request(request).errors, *api.unmarshal_response(request, WerkzeugOpenAPIResponse(ex.response())).errors]
        mismatches += [f"{where}: {error!r} {getattr(error, '__cause__', '')!r}" for error in errors]
    assert mismatches == [], "\n".join(mismatches)


# --------------------------------------------------------------------------
# Generating and installing the clients (once per document and tool versions)


@dataclass
class Clients:
    og: Any  # the openapi-generator package
    opc: Any  # the openapi-python-client package
    opc_log: str


def _run(cmd: list[str], cwd: Path) -> str:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, timeout=GENERATE_TIMEOUT_S)  # hang guard
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{output[-4000:]}"
    return output


def _generate(spec_path: Path, out: Path) -> str:
    bin_dir = Path(sys.executable).parent
    _run([str(bin_dir / "openapi-generator-cli"), "generate", "-i", str(spec_path), "-g", "python", "-o", str(out / "og"),
          "--package-name", "gongwen_client", "--global-property", "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false"], out)
    opc_log = _run([str(bin_dir / "openapi-python-client"), "generate", "--path", str(spec_path), "--config", str(CONFIG),
                    "--output-path", str(out / "opc"), "--meta", "setup", "--overwrite"], out)
    site = out / "site"
    # --no-deps: the clients' dependencies (pydantic, urllib3, httpx, attrs,
    # python-dateutil) come with the pinned test requirements.
    _run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation",
          "--target", str(site), str(out / "og"), str(out / "opc")], out)
    return opc_log


@pytest.fixture(scope="session")
def clients(live: Live, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Clients:
    require_tool(shutil.which("java") is not None, "Java (default-jre-headless, for openapi-generator)")
    versions = "|".join(f"{t}=={importlib.metadata.version(t)}" for t in TOOLS)
    key = hashlib.sha256(live.raw_spec + CONFIG.read_bytes() + versions.encode()).hexdigest()[:20]
    cache = getattr(request.config, "cache", None)
    root = (cache.mkdir("openapi-clients") if cache else tmp_path_factory.mktemp("openapi-clients")) / key
    if not (root / "done").exists():
        for stale in root.parent.iterdir():  # clients of older documents
            shutil.rmtree(stale, ignore_errors=True)
        root.mkdir(parents=True)
        (root / "openapi.json").write_bytes(live.raw_spec)
        (root / "opc.log").write_text(_generate(root / "openapi.json", root), encoding="utf-8")
        (root / "done").write_text(versions, encoding="utf-8")
    sys.path.insert(0, str(root / "site"))
    importlib.invalidate_caches()
    return Clients(importlib.import_module("gongwen_client"), importlib.import_module("gongwen_report_client"),
                   (root / "opc.log").read_text(encoding="utf-8"))


def og_api(clients: Clients, live: Live, name: str, token: str | None = None) -> Any:
    og = clients.og
    config = og.Configuration(host=live.url, access_token=token)
    return getattr(og, name)(og.ApiClient(config))


def opc_client(clients: Clients, live: Live) -> Any:
    return clients.opc.Client(base_url=live.url, raise_on_unexpected_status=True, timeout=httpx.Timeout(120))


def opc_module(clients: Clients, path: str) -> Any:
    return importlib.import_module(f"gongwen_report_client.{path}")


# --------------------------------------------------------------------------
# Checks on the results


def docx_title(data: bytes) -> str:
    assert data[:2] == b"PK"
    paragraphs = [p.text for p in python_docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]
    return next(p for p in paragraphs if "工作总结" in p)


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(archive.namelist())


def contract_example() -> dict[str, Any]:
    """The contract's example report: from ../shared when present, else our copy."""
    contract = SHARED_DIR / "api-contract.md"
    if not contract.exists():
        return CONTRACT_REPORT
    block = re.search(r"## The report \(JSON\)\s*```json\n(.*?)```", contract.read_text(encoding="utf-8"), re.DOTALL)
    assert block, "the contract's example report was not found"
    example = json.loads(block.group(1))
    assert example == CONTRACT_REPORT, "service/api/openapi.py's CONTRACT_REPORT drifted from the contract"
    return example


# --------------------------------------------------------------------------
# The document


def test_live_document_is_valid_and_typed(live: Live) -> None:
    from openapi_spec_validator import validate

    spec = live.spec
    validate(spec)
    assert spec["openapi"] == "3.0.3" and spec["info"]["title"].isascii()
    schemas = spec["components"]["schemas"]
    report = schemas["Report"]
    # One object: no branch a generator could split it into.
    for name, schema in schemas.items():
        assert not {"anyOf", "oneOf"} & set(schema), name
    assert report["type"] == "object" and {"title", "sections", "options", "preamble", "closing"} <= set(report["properties"])
    assert "至少一项" in report["description"]
    assert {t["name"] for t in spec["tags"]} >= {"reports", "jobs", "import", "lint", "templates", "unit-templates"}
    responses = spec["components"]["responses"]
    assert "Allow" in responses["E405"]["headers"] and "Retry-After" in responses["E429"]["headers"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op.get("tags"), (method, path)
            body = op.get("requestBody", {}).get("content", {})
            for media_type, media in body.items():
                if "json" in media_type or media_type == "text/plain":
                    assert "example" in media, (method, path, media_type)
            for status, response in op["responses"].items():
                response = responses[response["$ref"].rsplit("/", 1)[1]] if "$ref" in response else response
                for media_type, media in response.get("content", {}).items():
                    if "json" in media_type:
                        assert "example" in media, (method, path, status)
                    else:  # a download: bytes, named by Content-Disposition
                        assert media["schema"] == {"type": "string", "format": "binary"}, (method, path, status)
                        assert "Content-Disposition" in response["headers"], (method, path, status)
                if status in ("201", "202"):
                    assert "Location" in response["headers"], (method, path)
            if method in ("post", "delete") and path.startswith("/api/v1/unit-templates"):
                assert op["security"] == [{"adminBearer": []}], (method, path)


def test_openapi_python_client_generates_without_warnings_and_round_trips(clients: Clients) -> None:
    assert "warning" not in clients.opc_log.lower(), clients.opc_log
    from gongwen_report_client.models import Report

    example = contract_example()
    assert Report.from_dict(example).to_dict() == example
    # openapi-generator's models write defaults out (run_in: false): the same report.
    og_dict = clients.og.Report.from_dict(example).to_dict()
    assert set(og_dict) == set(example)
    assert validate_report(og_dict) == validate_report(example)
    assert json.loads(clients.og.Report.from_dict(example).to_json())["title"] == example["title"]


# --------------------------------------------------------------------------
# openapi-generator's client


def test_openapi_generator_client_renders_and_reports_errors(clients: Clients, live: Live, soffice: None) -> None:
    og = clients.og
    reports = og_api(clients, live, "ReportsApi")
    with live.checked():
        docx = reports.create_report_with_http_info(report=og.Report.from_dict(REPORT))
        assert docx.status_code == 200 and "filename*=UTF-8''" in docx.headers["Content-Disposition"]
        assert docx_title(bytes(docx.data)) == REPORT["title"]
        pdf = reports.create_report(report=og.Report.from_dict(SHORT), format="pdf")
        assert bytes(pdf).startswith(b"%PDF")
        with pytest.raises(og.exceptions.ApiException) as caught:
            reports.create_report(report=og.Report.from_dict(NO_BODY))
        assert caught.value.status == 422
        error = og.Error.from_json(caught.value.body)
        assert error.error.code == "invalid"
        assert sorted(d.path for d in error.error.details) == ["/date", "/sections"]


def test_openapi_generator_client_batches_jobs_imports_lints(clients: Clients, live: Live) -> None:
    og = clients.og
    batch_reports = [og.Report.from_dict(REPORT), og.Report.from_dict(SHORT)]
    with live.checked():
        archive = og_api(clients, live, "ReportsApi").create_batch(report=batch_reports)
        assert len(zip_names(bytes(archive))) == 2

        jobs = og_api(clients, live, "JobsApi")
        submitted = jobs.create_job_with_http_info(report=batch_reports)
        assert submitted.status_code == 202 and submitted.headers["Location"].endswith(submitted.data.id)
        job = wait_done(lambda: jobs.get_job(submitted.data.id))
        assert (job.status, job.total, job.done) == ("done", 2, 2)
        assert len(zip_names(bytes(jobs.get_job_result(submitted.data.id)))) == 2

        imported = og_api(clients, live, "ImportApi").import_report(file=("note.txt", IMPORT_TEXT.encode()))
        assert imported.reports[0].title == "某镇2025年工作总结"
        # Top-level sections are parts or level-1 sections (an anyOf): the generator wraps each one.
        assert [s.actual_instance.heading for s in imported.reports[0].sections] == ["主要工作", "存在问题"]

        ours = og_api(clients, live, "ReportsApi").create_report(report=imported.reports[0])
        lint = og_api(clients, live, "LintApi").lint_docx(file=("ours.docx", bytes(ours)))
        assert lint.ok is True


def test_openapi_generator_client_manages_unit_templates(clients: Clients, live: Live) -> None:
    from tests.test_unit_templates import letterhead

    admin = og_api(clients, live, "UnitTemplatesApi", token=ADMIN_KEY)
    with live.checked():
        created = admin.upload_unit_template_with_http_info(file=("letterhead.docx", letterhead()), name="青山镇信笺")
        assert created.status_code == 201 and created.headers["Location"].endswith(created.data.id)
        assert "正文" in created.data.placeholders
        assert bytes(admin.get_unit_template(created.data.id))[:2] == b"PK"
        with pytest.raises(clients.og.exceptions.ApiException) as caught:
            og_api(clients, live, "UnitTemplatesApi", token="wrong").delete_unit_template(created.data.id)
        assert caught.value.status == 403
        admin.delete_unit_template(created.data.id)


# --------------------------------------------------------------------------
# openapi-python-client's client


def test_openapi_python_client_renders_and_reports_errors(clients: Clients, live: Live, soffice: None) -> None:
    from gongwen_report_client.models import CreateReportFormat, Error, Report
    from gongwen_report_client.types import File

    create_report = opc_module(clients, "api.reports.create_report")
    client = opc_client(clients, live)
    with live.checked():
        docx = create_report.sync(client=client, body=Report.from_dict(REPORT))
        assert isinstance(docx, File) and docx_title(docx.payload.read()) == REPORT["title"]
        pdf = create_report.sync(client=client, body=Report.from_dict(SHORT), format_=CreateReportFormat.PDF)
        assert isinstance(pdf, File) and pdf.payload.read().startswith(b"%PDF")
        invalid = create_report.sync_detailed(client=client, body=Report.from_dict(NO_BODY))
        assert invalid.status_code == 422 and isinstance(invalid.parsed, Error)
        assert sorted(d.path for d in invalid.parsed.error.details) == ["/date", "/sections"]


def test_openapi_python_client_batches_jobs_imports_lints(clients: Clients, live: Live) -> None:
    """Batch, jobs and import take several body types, which openapi-python-client
    0.29.1 generates broken (#1451): the README's workaround is the generated
    client's own httpx client, with the generated models for the bodies."""
    from gongwen_report_client.models import ImportResult, Job, LintDocxBody, LintResult, Report
    from gongwen_report_client.types import File

    # Still broken in the pinned version (README "生成客户端" says so; update it when an upgrade fixes them).
    # The modules load (their query parameters import Unset), but a JSON array
    # body is tested with isinstance(body, list[Report]) and a text body sent as ``body.payload``.
    for broken in ("api.reports.create_batch", "api.jobs.create_job"):
        with pytest.raises(TypeError, match="parameterized generic"):
            opc_module(clients, broken)._get_kwargs(body=[Report.from_dict(SHORT)])
    import_report = opc_module(clients, "api.import_.import_report")
    with pytest.raises(AttributeError, match="payload"):
        import_report._get_kwargs(body=IMPORT_TEXT)
    client = opc_client(clients, live)
    http = client.get_httpx_client()
    body = [Report.from_dict(REPORT).to_dict(), Report.from_dict(SHORT).to_dict()]
    with live.checked():
        batch = http.post("/api/v1/reports/batch", json=body)
        assert batch.status_code == 200 and len(zip_names(batch.content)) == 2

        submitted = http.post("/api/v1/jobs", json=body)
        assert submitted.status_code == 202
        job_id = Job.from_dict(submitted.json()).id
        get_job = opc_module(clients, "api.jobs.get_job")
        job = wait_done(lambda: get_job.sync(job_id, client=client))
        assert (job.status, job.done) == ("done", 2)
        result = opc_module(clients, "api.jobs.get_job_result").sync(job_id, client=client)
        assert isinstance(result, File) and len(zip_names(result.payload.read())) == 2

        imported = ImportResult.from_dict(http.post("/api/v1/import", content=IMPORT_TEXT.encode(),
                                                    headers={"Content-Type": "text/plain; charset=utf-8"}).json())
        assert imported.reports[0].title == "某镇2025年工作总结"

        docx = opc_module(clients, "api.reports.create_report").sync(client=client, body=imported.reports[0])
        upload = LintDocxBody(file=File(payload=docx.payload, file_name="ours.docx"))
        lint = opc_module(clients, "api.lint.lint_docx").sync(client=client, body=upload)
        assert isinstance(lint, LintResult) and lint.ok is True


# --------------------------------------------------------------------------
# Headers the document promises, on the wire


def test_the_exchange_check_sees_mismatches(live: Live) -> None:
    """The 0 above means something: a document that says otherwise is caught."""
    with live.checked() as made:
        resp = httpx.post(f"{live.url}/api/v1/reports", json=SHORT, timeout=120)
    assert resp.status_code == 200
    stricter_title = copy.deepcopy(live.spec)
    stricter_title["components"]["schemas"]["Report"]["properties"]["title"]["maxLength"] = 2
    with pytest.raises(AssertionError, match="InvalidRequestBody"):
        assert_conform(stricter_title, made)
    other_header = copy.deepcopy(live.spec)
    other_header["components"]["headers"]["Content-Disposition"]["schema"]["pattern"] = "^inline"
    with pytest.raises(AssertionError, match="Content-Disposition"):
        assert_conform(other_header, made)


def test_429_says_when_to_retry(live: Live) -> None:
    config = live.app.config
    saved = config["JOBS_MAX_ACTIVE_PER_CLIENT"]
    config["JOBS_MAX_ACTIVE_PER_CLIENT"] = 0
    try:
        with live.checked() as made:
            resp = httpx.post(f"{live.url}/api/v1/jobs", json=[SHORT], timeout=60)
        assert resp.status_code == 429 and int(resp.headers["Retry-After"]) >= 1
        assert [ex.status for ex in made] == [429]
    finally:
        config["JOBS_MAX_ACTIVE_PER_CLIENT"] = saved


def wait_done(poll: Any) -> Any:
    deadline = time.monotonic() + JOB_TIMEOUT_S  # hang guard
    while time.monotonic() < deadline:
        job = poll()
        if str(job.status) in ("done", "failed") or getattr(job.status, "value", None) in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError("job did not finish")

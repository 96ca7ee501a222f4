"""The OpenAPI document, generated from the same models that validate requests.

It is OpenAPI 3.0.3, not 3.1: ``type: string, format: binary`` is the one
form of a binary body (downloads, NDJSON, multipart files) that validators
(openapi-core) accept as bytes *and* client generators (openapi-generator,
openapi-python-client) type as bytes. Pydantic writes JSON Schema 2020-12, so
:func:`to_oas30` translates the model schemas generically: fields that other
modules add to the models reach the document without editing this file.
"""
from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from ..model import BODY_FIELDS, Report

REF = "#/components/schemas/{model}"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BINARY = {"type": "string", "format": "binary"}

# --------------------------------------------------------------------------
# JSON Schema 2020-12 (pydantic) -> OpenAPI 3.0 schema objects


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) == 1


def _union(node: dict[str, Any], key: str, nullable_refs: set[str], members: set[str]) -> dict[str, Any]:
    """anyOf/oneOf with a null branch becomes a nullable schema (3.0 has no type null).

    A union of several branches is written as anyOf: the service's unions pick
    a branch by a function (pydantic Discriminator), which JSON Schema cannot
    say, and under oneOf a value that fits two branches (an ordinary section
    fits a part's schema too) would be rejected by validators and generators.
    """
    branches = node.pop(key)
    others = [b for b in branches if not _is_null(b)]
    nullable = len(others) < len(branches)
    if len(others) != 1:
        members.update(b["$ref"].rsplit("/", 1)[1] for b in others if "$ref" in b)
        node["anyOf"] = others
        return {**node, "nullable": True} if nullable else node
    only = others[0]
    if nullable and "$ref" in only:
        # 3.0.3: nullable only acts beside a type in the same schema object,
        # so it cannot wrap a $ref (validators reject null through allOf).
        # The referenced component itself becomes nullable instead.
        nullable_refs.add(only["$ref"].rsplit("/", 1)[1])
    elif nullable:
        only = {**only, "nullable": True}
    return {**only, **node}


_VALUES = ("default", "example", "examples", "enum", "const")


def to_oas30(schema: Any, nullable_refs: set[str] | None = None, members: set[str] | None = None) -> Any:
    """Translate a pydantic JSON Schema into an OpenAPI 3.0 Schema Object.

    Names of components that some field allows to be null are added to
    ``nullable_refs``, components that are branches of a union to
    ``members``; :func:`model_schemas` finishes those components.
    """
    refs = nullable_refs if nullable_refs is not None else set()
    branches = members if members is not None else set()
    if isinstance(schema, list):
        return [to_oas30(s, refs, branches) for s in schema]
    if not isinstance(schema, dict):
        return schema
    # Titles would name generated classes; property names and values
    # (defaults, examples, enums) are data, not schemas.
    node = {k: v if k in _VALUES else to_oas30(v, refs, branches) for k, v in schema.items() if k not in ("title", "properties")}
    if "properties" in schema:
        node["properties"] = {name: to_oas30(s, refs, branches) for name, s in schema["properties"].items()}
    if "const" in node:
        node["enum"] = [node.pop("const")]
    if "examples" in node:
        examples = node.pop("examples")
        if isinstance(examples, list) and examples:
            node["example"] = examples[0]
    types = node.get("type")
    if isinstance(types, list):
        kept = [t for t in types if t != "null"]
        node.pop("type")
        node["anyOf"] = [{"type": t} for t in kept] + ([{"type": "null"}] if len(kept) < len(types) else [])
    for key in ("anyOf", "oneOf"):
        if key in node:
            node = _union(node, key, refs, branches)
    if "$ref" in node and len(node) > 1:  # 3.0 ignores a $ref's siblings
        node = {"allOf": [{"$ref": node.pop("$ref")}], **node}
    return node


def model_schemas() -> dict[str, Any]:
    """Report and every model it uses, as 3.0 component schemas."""
    schemas = component_schemas(Report)
    schemas["Report"]["description"] = (
        "一份工作总结 / 工作报告 / 述职报告。必填：title，以及 "
        + "、".join(BODY_FIELDS)
        + " 至少一项有内容（服务检查，缺少时 422，path 为 /sections）。"
        "段落中的换行符开始新段落。"
    )
    schemas["Report"]["example"] = copy.deepcopy(CONTRACT_REPORT)
    return schemas


def component_schemas(model: type[BaseModel]) -> dict[str, Any]:
    """A pydantic model and the models it uses, as 3.0 component schemas."""
    top = model.model_json_schema(ref_template=REF)
    defs = top.pop("$defs", {})
    nullable: set[str] = set()
    members: set[str] = set()
    schemas = {name: to_oas30(s, nullable, members) for name, s in {**defs, model.__name__: top}.items()}
    for name in nullable:
        schemas[name]["nullable"] = True
    for name in members:
        _require_tags(schemas[name])
    return schemas


def _require_tags(schema: dict[str, Any]) -> None:
    """In a union's branch, a property with one allowed value (a tag such as
    ``part: true``) is required and has no default. Otherwise an ordinary
    section would also fit the part branch, and generated clients, which fill
    in defaults, would turn it into a part."""
    for name, prop in schema.get("properties", {}).items():
        if isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
            prop.pop("default", None)
            if name not in schema.setdefault("required", []):
                schema["required"].append(name)


# --------------------------------------------------------------------------
# Examples, from the contract (docs/api-contract: "The report (JSON)")

CONTRACT_REPORT: dict[str, Any] = {
    "template": "work-summary",
    "title": "2022年XX镇人大工作总结",
    "subtitle": "——在XX镇第五届人民代表大会第二次会议上",
    "speaker": "XX镇人大主席  张三",
    "recipient": "县人大常委会",
    "salutation": "各位代表：",
    "preamble": ["五年来，在市人大常委会的悉心指导下……"],
    "sections": [
        {
            "heading": "提高政治站位，坚持人大工作正确方向",
            "paragraphs": ["五年来，镇人大主席团始终……"],
            "sections": [
                {"heading": "以发展为目标，促经济转型升级。", "run_in": True,
                 "paragraphs": ["镇人大紧紧围绕全镇发展大局……", "……"], "sections": []}
            ],
        }
    ],
    "closing": ["面对新形势新任务，……"],
    "attachments": ["2022年代表建议办理情况表"],
    "signature": "XX镇人民代表大会主席团",
    "date": "2022-12-05",
    "header": {"issuer": "XX县人民代表大会常务委员会", "doc_number": "X人发〔2022〕5号", "signer": "李四",
               "copy_number": "000001", "secrecy": "", "urgency": ""},
    "record": {"cc": ["县委办公室", "县政府办公室"], "printer": "XX县人大常委会办公室", "print_date": "2022-12-06"},
    "options": {"font_set": "gb2312", "page_numbers": "outside", "seal": False, "bold_level3": False, "numbering": "text"},
    "filename": "2022年XX镇人大工作总结.docx",
    "unit_template": "ut-3f9a2c",
}

# The request examples leave out unit_template: "ut-3f9a2c" is only uploaded
# on the contract's imaginary server, and an example should render as sent.
_RENDERABLE = {k: v for k, v in CONTRACT_REPORT.items() if k != "unit_template"}

_SHORT = {"title": "2022年XX镇人大工作总结（摘要）", "preamble": ["五年来，在市人大常委会的悉心指导下……"]}

_ERROR_EXAMPLE = {"error": {"code": "invalid", "message": "报告内容有 1 处问题，请逐项修改",
                            "details": [{"path": "/sections/2/heading", "message": "章节标题不能为空（只有序号没有文字）"}]}}
_JOB_EXAMPLE = {"id": "5f0c1e2a9b7d4c3e8a6f1b2c3d4e5f60", "status": "queued", "total": 2, "done": 0}
_UNIT_TEMPLATE_EXAMPLE = {"id": "ut-3f9a2c", "name": "XX镇人民政府信笺", "version": 1, "placeholders": ["标题", "正文", "署名", "日期"]}
_TEMPLATE_EXAMPLE = {"id": "work-summary", "name": "工作总结", "description": "单位或部门的年度、半年或专项工作总结",
                     "fields": ["title", "recipient", "preamble", "sections", "closing", "attachments", "signature", "date"]}
_LINT_EXAMPLE = {"ok": False, "findings": [{"rule": "heading.sequence", "severity": "error",
                                            "message": "一级标题序号不连续：“一、”之后应为“二、”", "location": {"paragraph": 3, "text": "三、存在问题"}}]}
_IMPORT_TEXT = "2022年XX镇人大工作总结\n\n五年来，在市人大常委会的悉心指导下……\n一、提高政治站位，坚持人大工作正确方向\n五年来，镇人大主席团始终……\n"

# --------------------------------------------------------------------------
# Hand-written schemas (responses that no pydantic model describes)

_ERROR_DETAIL = {
    "type": "object",
    "required": ["path", "message"],
    "properties": {
        "path": {"type": "string", "description": "JSON Pointer；批量请求以条目序号开头，如 /3/title"},
        "message": {"type": "string"},
        "row": {"type": "integer", "description": "CSV/XLSX 批量：表格中的行号（列名为第 1 行）"},
        "column": {"type": "string", "description": "CSV/XLSX 批量：列名"},
    },
}

_IMPORT_WARNING = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "line": {"type": "integer", "nullable": True, "description": "输入文本中的行号（有时）"},
        "message": {"type": "string"},
        "code": {"type": "string"},
    },
}

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"$ref": "#/components/schemas/ErrorBody"}},
    "example": _ERROR_EXAMPLE,
}

_ERROR_BODY = {
    "type": "object",
    "required": ["code", "message", "details"],
    "properties": {
        "code": {"type": "string", "description": "机器可读的错误类别，如 invalid、malformed、too_large"},
        "message": {"type": "string", "description": "中文说明"},
        "details": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorDetail"}, "description": "逐项问题；全部一次列出"},
    },
}

_JOB = {
    "type": "object",
    "required": ["id", "status", "total", "done"],
    "properties": {
        "id": {"type": "string"},
        "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
        "total": {"type": "integer"},
        "done": {"type": "integer"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorDetail"}},
        "made": {"type": "integer", "description": "已生成的文档数"},
        "skipped": {"type": "integer", "description": "因有问题而跳过的报告数（on_error=skip）；问题见 errors"},
    },
    "example": _JOB_EXAMPLE,
}

_LINT_LOCATION = {
    "type": "object",
    "required": ["paragraph", "text"],
    "properties": {
        "paragraph": {"type": "integer", "nullable": True, "description": "段落序号（从 0 起，含表格和文本框中的段落）；页面级问题为 null"},
        "text": {"type": "string", "description": "该段文字摘录"},
    },
}

_LINT_FINDING = {
    "type": "object",
    "required": ["rule", "severity", "message", "location"],
    "properties": {
        "rule": {"type": "string", "description": "检查项 id，如 body.line-spacing"},
        "severity": {"type": "string", "enum": ["error", "warning", "info"]},
        "message": {"type": "string", "description": "中文说明：哪里不对、应怎样改"},
        "location": {"$ref": "#/components/schemas/LintLocation"},
    },
}

_LINT_RESULT = {
    "type": "object",
    "required": ["ok", "findings"],
    "properties": {
        "ok": {"type": "boolean", "description": "没有 error 级问题"},
        "findings": {"type": "array", "items": {"$ref": "#/components/schemas/LintFinding"}},
    },
    "example": _LINT_EXAMPLE,
}

_UNIT_TEMPLATE = {
    "type": "object",
    "required": ["id", "name", "version", "placeholders"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "version": {"type": "integer"},
        "placeholders": {"type": "array", "items": {"type": "string"}},
    },
    "example": _UNIT_TEMPLATE_EXAMPLE,
}

_TEMPLATE_SUMMARY = {
    "type": "object",
    "required": ["id", "name", "description", "fields"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "fields": {"type": "array", "items": {"type": "string"}},
    },
    "example": _TEMPLATE_EXAMPLE,
}

_TEMPLATE_DETAIL = {
    "type": "object",
    "required": [*_TEMPLATE_SUMMARY["required"], "scaffold"],
    "properties": {**_TEMPLATE_SUMMARY["properties"], "scaffold": {"$ref": "#/components/schemas/Report"}},
    "example": {**_TEMPLATE_EXAMPLE, "scaffold": _RENDERABLE},
}

_IMPORT_RESULT = {
    "type": "object",
    "required": ["reports", "warnings"],
    "properties": {
        "reports": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}},
        # Strings (v1) or {line, message, code} objects (contract v1.1).
        "warnings": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/ImportWarning"}]},
                     "description": "提示：字符串，或 {line, message, code}"},
    },
    "example": {"reports": [_RENDERABLE], "warnings": []},
}

# --------------------------------------------------------------------------
# Building blocks of operations

_ERROR_TEXT = {
    400: "请求格式错误（JSON 无法解析、编码错误）",
    401: "需要 API 密钥（设置了 API_KEYS 时）",
    403: "API 密钥无效",
    404: "未知的文种模板、任务或单位模板",
    405: "不支持该请求方法（Allow 头列出可用方法）",
    409: "任务尚未完成或已失败",
    413: "请求体或批量过大",
    415: "不支持的 Content-Type",
    422: "内容无效，details 逐项列出（JSON Pointer）",
    429: "未完成的后台任务过多；Retry-After 秒后再试",
    503: "LibreOffice 不可用或转换失败 / 存储不可用",
}

_HEADERS = {
    "Content-Disposition": {
        "description": "attachment，含 ASCII filename 和 UTF-8 filename*（RFC 6266），如 "
        "attachment; filename=\"2022_XX.docx\"; filename*=UTF-8''2022%E5%B9%B4....docx",
        "required": True, "schema": {"type": "string"},
    },
    "Location": {"description": "新资源的地址", "required": True, "schema": {"type": "string"}},
    "Retry-After": {"description": "建议多少秒后重试", "required": True, "schema": {"type": "integer", "minimum": 1}},
    "Allow": {"description": "该地址支持的请求方法", "required": True, "schema": {"type": "string"}},
}


def _json(ref: str, example: Any = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": {"$ref": f"#/components/schemas/{ref}"}}
    if example is not None:
        media["example"] = example
    return {"application/json": media}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def _error_responses() -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, text in _ERROR_TEXT.items():
        example = copy.deepcopy(_ERROR_EXAMPLE)
        if status != 422:
            example["error"].update(code="too_many_jobs" if status == 429 else "error", message=text.split("；")[0], details=[])
        response: dict[str, Any] = {"description": text, "content": _json("Error", example)}
        if status == 429:
            response["headers"] = {"Retry-After": {"$ref": "#/components/headers/Retry-After"}}
        if status == 405:
            response["headers"] = {"Allow": {"$ref": "#/components/headers/Allow"}}
        responses[f"E{status}"] = response
    return responses


def _download(description: str, *media_types: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"Content-Disposition": {"$ref": "#/components/headers/Content-Disposition"}},
        "content": {m: {"schema": dict(BINARY)} for m in media_types},
    }


def _counted(response: dict[str, Any]) -> dict[str, Any]:
    """A batch zip's response, with the counts of made and skipped reports."""
    headers = {
        "X-Reports-Made": {"schema": {"type": "integer"}, "description": "生成的文档数"},
        "X-Reports-Skipped": {"schema": {"type": "integer"}, "description": "跳过的报告数（on_error=skip）"},
    }
    return {**response, "headers": {**response["headers"], **headers}}


def _upload(description: str, **extra: Any) -> dict[str, Any]:
    properties = {"file": {**BINARY, "description": description}, **extra}
    return {"schema": {"type": "object", "required": ["file"], "properties": properties}}


def _id_param(description: str) -> list[dict[str, Any]]:
    return [{"name": "id", "in": "path", "required": True, "description": description, "schema": {"type": "string"}}]


_BATCH_BODY = {
    "required": True,
    "description": "三种写法任选其一：JSON 数组；NDJSON（每行一份报告）；上传 CSV/XLSX（字段 file）。",
    "content": {
        "application/json": {
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}},
            "example": [_RENDERABLE, _SHORT],
        },
        "application/x-ndjson": {
            "schema": {**BINARY, "description": "每行一份报告 JSON（UTF-8）"},
            "example": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (_RENDERABLE, _SHORT)),
        },
        "multipart/form-data": _upload(
            ".csv 或 .xlsx；列名为报告的顶层字段，text（正文）列为纯文本正文",
            on_error={"type": "string", "enum": ["stop", "skip"], "default": "stop", "description": "同查询参数 on_error"},
        ),
    },
}

_ON_ERROR = {
    "name": "on_error", "in": "query", "required": False,
    "schema": {"type": "string", "enum": ["stop", "skip"], "default": "stop"},
    "description": "stop：任一报告有问题即 422 并列出全部问题；skip：跳过有问题的报告，zip 中附 错误报告.csv（UTF-8 BOM，列：行号、字段、问题）",
}

_ADMIN = [{"adminBearer": []}]


def _paths() -> dict[str, Any]:
    return {
        "/healthz": {"get": {
            "tags": ["health"], "summary": "健康检查", "operationId": "healthz", "security": [],
            "responses": {"200": {"description": "正常", "content": {"application/json": {
                "schema": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok"]}}},
                "example": {"status": "ok"}}}}},
        }},
        "/api/v1/templates": {"get": {
            "tags": ["templates"], "summary": "文种模板列表", "operationId": "listTemplates",
            "responses": {"200": {"description": "文种列表", "content": {"application/json": {
                "schema": {"type": "object", "required": ["templates"], "properties": {
                    "templates": {"type": "array", "items": {"$ref": "#/components/schemas/TemplateSummary"}}}},
                "example": {"templates": [_TEMPLATE_EXAMPLE]}}}}, **_errors(401, 403)},
        }},
        "/api/v1/templates/{id}": {"get": {
            "tags": ["templates"], "summary": "一个文种及其示例报告（scaffold）", "operationId": "getTemplate",
            "parameters": _id_param("文种模板 id，如 work-summary"),
            "responses": {"200": {"description": "文种详情", "content": _json("TemplateDetail", _TEMPLATE_DETAIL["example"])},
                          **_errors(401, 403, 404)},
        }},
        "/api/v1/schema": {"get": {
            "tags": ["templates"], "summary": "报告的 JSON Schema（2020-12）", "operationId": "getSchema",
            "responses": {"200": {"description": "JSON Schema", "content": {"application/json": {
                "schema": {"type": "object", "additionalProperties": True},
                "example": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["title"]}}}},
                **_errors(401, 403)},
        }},
        "/api/v1/reports": {"post": {
            "tags": ["reports"], "summary": "生成一份报告：返回 .docx（?format=pdf 返回 PDF）", "operationId": "createReport",
            "parameters": [{"name": "format", "in": "query", "required": False, "description": "docx（默认）或 pdf",
                            "schema": {"type": "string", "enum": ["docx", "pdf"], "default": "docx"}}],
            "requestBody": {"required": True, "content": _json("Report", _RENDERABLE)},
            "responses": {"200": _download("文档（.docx，或 ?format=pdf 时的 PDF）", DOCX, "application/pdf"),
                          **_errors(400, 401, 403, 404, 413, 415, 422, 503)},
        }},
        "/api/v1/reports/batch": {"post": {
            "tags": ["reports"], "summary": "批量生成：返回 zip（边生成边传输）", "operationId": "createBatch",
            "parameters": [_ON_ERROR],
            "requestBody": _BATCH_BODY,
            "responses": {"200": _counted(_download("zip，每份报告一个 .docx（跳过报告时另附 错误报告.csv）", "application/zip")),
                          **_errors(400, 401, 403, 404, 413, 415, 422, 503)},
        }},
        "/api/v1/jobs": {"post": {
            "tags": ["jobs"], "summary": "后台批量任务：返回 202 和任务状态", "operationId": "createJob",
            "parameters": [_ON_ERROR],
            "requestBody": _BATCH_BODY,
            "responses": {"202": {"description": "已排队；Location 为任务状态地址",
                                  "headers": {"Location": {"$ref": "#/components/headers/Location"}},
                                  "content": _json("Job", _JOB_EXAMPLE)},
                          **_errors(400, 401, 403, 404, 413, 415, 422, 429, 503)},
        }},
        "/api/v1/jobs/{id}": {"get": {
            "tags": ["jobs"], "summary": "任务状态和进度", "operationId": "getJob",
            "parameters": _id_param("任务 id"),
            "responses": {"200": {"description": "任务状态", "content": _json("Job", {**_JOB_EXAMPLE, "status": "done", "done": 2, "errors": []})},
                          **_errors(401, 403, 404, 503)},
        }},
        "/api/v1/jobs/{id}/result": {"get": {
            "tags": ["jobs"], "summary": "任务结果 zip（完成后）", "operationId": "getJobResult",
            "parameters": _id_param("任务 id"),
            "responses": {"200": _download("zip，每份报告一个 .docx", "application/zip"), **_errors(401, 403, 404, 409, 503)},
        }},
        "/api/v1/import": {"post": {
            "tags": ["import"], "operationId": "importReport",
            "summary": "导入已有报告（粘贴的文本或 .docx），识别标题、各级标题、署名日期等，返回报告 JSON",
            "parameters": [{"name": "punctuation", "in": "query", "required": False,
                            "description": "fullwidth：中文里的半角标点改为全角（数字、时间、网址、英文不变）；keep：原样（默认）",
                            "schema": {"type": "string", "enum": ["keep", "fullwidth"], "default": "keep"}}],
            "requestBody": {"required": True, "content": {
                "text/plain": {"schema": {"type": "string"}, "example": _IMPORT_TEXT},
                "multipart/form-data": _upload(".txt 或 .docx"),
            }},
            "responses": {"200": {"description": "识别出的报告（可能多份）和提示", "content": _json("ImportResult", _IMPORT_RESULT["example"])},
                          **_errors(400, 401, 403, 413, 415, 422)},
        }},
        "/api/v1/lint": {"post": {
            "tags": ["lint"], "summary": "检查任意 .docx 是否符合 GB/T 9704-2012", "operationId": "lintDocx",
            "requestBody": {"required": True, "content": {"multipart/form-data": _upload(".docx 文件")}},
            "responses": {"200": {"description": "检查结果；ok 表示没有 error 级问题", "content": _json("LintResult", _LINT_EXAMPLE)},
                          **_errors(400, 401, 403, 413, 415, 422)},
        }},
        "/api/v1/unit-templates": {
            "post": {
                "tags": ["unit-templates"], "summary": "上传单位模板（需要管理员密钥）", "operationId": "uploadUnitTemplate",
                "security": _ADMIN,
                "requestBody": {"required": True, "content": {"multipart/form-data": _upload(
                    "含 {{ 正文 }} 等占位符的 .docx", name={"type": "string", "description": "模板名称；同名再次上传为新版本"})}},
                "responses": {"201": {"description": "已保存；Location 为下载地址",
                                      "headers": {"Location": {"$ref": "#/components/headers/Location"}},
                                      "content": _json("UnitTemplate", _UNIT_TEMPLATE_EXAMPLE)},
                              **_errors(400, 401, 403, 413, 415, 422, 503)},
            },
            "get": {
                "tags": ["unit-templates"], "summary": "单位模板列表", "operationId": "listUnitTemplates",
                "responses": {"200": {"description": "列表", "content": {"application/json": {
                    "schema": {"type": "object", "required": ["unit_templates"], "properties": {
                        "unit_templates": {"type": "array", "items": {"$ref": "#/components/schemas/UnitTemplate"}}}},
                    "example": {"unit_templates": [_UNIT_TEMPLATE_EXAMPLE]}}}}, **_errors(401, 403, 503)},
            },
        },
        "/api/v1/unit-templates/{id}": {
            "get": {
                "tags": ["unit-templates"], "summary": "下载单位模板（最新版本）", "operationId": "getUnitTemplate",
                "parameters": _id_param("单位模板 id"),
                "responses": {"200": _download(".docx", DOCX), **_errors(401, 403, 404, 503)},
            },
            "delete": {
                "tags": ["unit-templates"], "summary": "删除单位模板（全部版本，需要管理员密钥）", "operationId": "deleteUnitTemplate",
                "security": _ADMIN,
                "parameters": _id_param("单位模板 id"),
                "responses": {"204": {"description": "已删除"}, **_errors(401, 403, 404, 503)},
            },
        },
    }


_TAGS = [
    {"name": "reports", "description": "生成报告：一份（.docx / PDF）或一批（zip）"},
    {"name": "jobs", "description": "后台批量任务：提交、查询进度、取结果"},
    {"name": "import", "description": "导入已有报告（文本或 .docx）为报告 JSON"},
    {"name": "lint", "description": "检查 .docx 是否符合 GB/T 9704-2012"},
    {"name": "templates", "description": "文种模板和报告的 JSON Schema"},
    {"name": "unit-templates", "description": "单位模板（信笺）：上传和删除需要管理员密钥"},
    {"name": "health", "description": "健康检查"},
]

_DESCRIPTION = (
    "公文排版服务：把报告 JSON 排成符合 GB/T 9704-2012 的 Word 文档。\n\n"
    "- 错误均为 JSON：{\"error\": {\"code\", \"message\", \"details\": [{\"path\", \"message\"}]}}，"
    "path 为 JSON Pointer，全部问题一次列出。\n"
    "- 设置了 API_KEYS 时，/api/v1/ 下的接口需要 Authorization: Bearer <密钥>（安全方案 bearer）；"
    "上传和删除单位模板总是需要管理员密钥（ADMIN_KEYS，安全方案 adminBearer）。\n"
    "- 对已有地址使用不支持的方法时返回 405 和 Allow 头（响应 E405）。\n"
    "- 429 带 Retry-After 头（秒）。"
)


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    schemas = {
        **model_schemas(),
        "Error": _ERROR,
        "ErrorBody": _ERROR_BODY,
        "ErrorDetail": _ERROR_DETAIL,
        "Job": _JOB,
        "TemplateSummary": _TEMPLATE_SUMMARY,
        "TemplateDetail": _TEMPLATE_DETAIL,
        "UnitTemplate": _UNIT_TEMPLATE,
        "ImportResult": _IMPORT_RESULT,
        "ImportWarning": _IMPORT_WARNING,
        "LintResult": _LINT_RESULT,
        "LintFinding": _LINT_FINDING,
        "LintLocation": _LINT_LOCATION,
    }
    return {
        "openapi": "3.0.3",
        # ASCII: generators derive package names from the title.
        "info": {"title": "Gongwen Report Service", "version": "1.1.0", "description": _DESCRIPTION},
        "tags": _TAGS,
        "paths": _paths(),
        "components": {
            "schemas": schemas,
            "responses": _error_responses(),
            "headers": {name: dict(h) for name, h in _HEADERS.items()},
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "API 密钥（API_KEYS）；未设置时不需要"},
                "adminBearer": {"type": "http", "scheme": "bearer", "description": "管理员密钥（ADMIN_KEYS）"},
            },
        },
        "security": [{}, {"bearer": []}],
    }

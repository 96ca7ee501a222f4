"""The OpenAPI 3.1 document, generated from the same models that validate requests."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..model import Report

REF = "#/components/schemas/{model}"


def _json(schema_ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": schema_ref}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("#/components/schemas/Error")}


def _errors(*statuses: int) -> dict[str, Any]:
    text = {
        400: "请求格式错误（JSON 无法解析、编码错误）",
        401: "需要 API 密钥（设置了 API_KEYS 时）",
        403: "API 密钥无效",
        404: "未知的文种模板或任务",
        409: "任务尚未完成或已失败",
        413: "请求体或批量过大",
        415: "不支持的 Content-Type",
        422: "报告内容无效，details 逐项列出（JSON Pointer）",
        429: "未完成的后台任务过多",
        503: "LibreOffice 不可用或转换失败 / 任务存储不可用",
    }
    return {str(s): _error(text[s]) for s in statuses}


_BATCH_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}}},
        "application/x-ndjson": {"schema": {"type": "string", "description": "每行一份报告 JSON"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": ".csv 或 .xlsx；列名为报告的顶层字段，text（正文）列为纯文本正文"},
                    "on_error": {"type": "string", "enum": ["stop", "skip"], "default": "stop", "description": "同查询参数 on_error"},
                },
            }
        },
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
}

_ON_ERROR = {
    "name": "on_error", "in": "query", "required": False,
    "schema": {"type": "string", "enum": ["stop", "skip"], "default": "stop"},
    "description": "stop：任一报告有问题即 422 并列出全部问题；skip：跳过有问题的报告，zip 中附 错误报告.csv（UTF-8 BOM，列：行号、字段、问题）",
}

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string", "description": "中文说明"},
                "details": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorDetail"}},
            },
        }
    },
}

_ERROR_DETAIL = {
    "type": "object",
    "required": ["path", "message"],
    "properties": {
        "path": {"type": "string", "description": "JSON Pointer；批量请求以条目序号开头，如 /3/title"},
        "message": {"type": "string"},
        "row": {"type": "integer", "description": "CSV/XLSX 输入：表格行号（表头为第 1 行，第一份报告为第 2 行）"},
        "column": {"type": "string", "description": "CSV/XLSX 输入：列名（表头原文）"},
    },
}

_LINT_RESULT = {
    "type": "object",
    "required": ["ok", "findings"],
    "properties": {
        "ok": {"type": "boolean"},
        "findings": {"type": "array", "items": {
            "type": "object",
            "required": ["rule", "severity", "message", "location"],
            "properties": {
                "rule": {"type": "string", "description": "检查项 id，如 body.line-spacing"},
                "severity": {"type": "string", "enum": ["error", "warning", "info"]},
                "message": {"type": "string", "description": "中文说明：哪里不对、应怎样改"},
                "location": {"type": "object", "required": ["paragraph", "text"], "properties": {
                    "paragraph": {"type": ["integer", "null"], "description": "段落序号（从 0 起，含表格和文本框中的段落）；页面级问题为 null"},
                    "text": {"type": "string", "description": "该段文字摘录"}}},
            },
        }},
    },
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
}

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _paths() -> dict[str, Any]:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "/healthz": {"get": {"summary": "健康检查", "operationId": "healthz", "responses": {"200": {"description": "正常", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "const": "ok"}}, "required": ["status"]}}}}}}},
        "/api/v1/templates": {"get": {
            "summary": "文种模板列表", "operationId": "listTemplates",
            "responses": {"200": {"description": "文种列表", "content": {"application/json": {"schema": {"type": "object", "required": ["templates"], "properties": {"templates": {"type": "array", "items": {"$ref": "#/components/schemas/TemplateSummary"}}}}}}}, **_errors(401, 403)},
        }},
        "/api/v1/templates/{id}": {"get": {
            "summary": "一个文种及其示例报告（scaffold）", "operationId": "getTemplate",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "文种详情", "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/TemplateSummary"}, {"type": "object", "required": ["scaffold"], "properties": {"scaffold": {"$ref": "#/components/schemas/Report"}}}]}}}}, **_errors(401, 403, 404)},
        }},
        "/api/v1/schema": {"get": {
            "summary": "报告的 JSON Schema", "operationId": "getSchema",
            "responses": {"200": {"description": "JSON Schema", "content": {"application/json": {"schema": {"type": "object"}}}}, **_errors(401, 403)},
        }},
        "/api/v1/reports": {"post": {
            "summary": "生成一份报告：返回 .docx（?format=pdf 返回 PDF）", "operationId": "createReport",
            "parameters": [{"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["docx", "pdf"], "default": "docx"}}],
            "requestBody": {"required": True, "content": _json("#/components/schemas/Report")},
            "responses": {"200": {"description": "文档（Content-Disposition: attachment，含 UTF-8 filename*）", "content": {DOCX: binary, "application/pdf": binary}}, **_errors(400, 401, 403, 404, 413, 415, 422, 503)},
        }},
        "/api/v1/reports/batch": {"post": {
            "summary": "批量生成：返回 zip（边生成边传输）", "operationId": "createBatch",
            "parameters": [_ON_ERROR],
            "requestBody": _BATCH_BODY,
            "responses": {"200": {"description": "每份报告一个 .docx（跳过报告时另附 错误报告.csv）", "headers": {
                "X-Reports-Made": {"schema": {"type": "integer"}, "description": "生成的文档数"},
                "X-Reports-Skipped": {"schema": {"type": "integer"}, "description": "跳过的报告数"}},
                "content": {"application/zip": binary}}, **_errors(400, 401, 403, 404, 413, 415, 422)},
        }},
        "/api/v1/jobs": {"post": {
            "summary": "后台批量任务：返回 202 和任务状态", "operationId": "createJob",
            "parameters": [_ON_ERROR],
            "requestBody": _BATCH_BODY,
            "responses": {"202": {"description": "已排队", "headers": {"Location": {"schema": {"type": "string"}, "description": "任务状态地址"}}, "content": _json("#/components/schemas/Job")}, **_errors(400, 401, 403, 404, 413, 415, 422, 429, 503)},
        }},
        "/api/v1/jobs/{id}": {"get": {
            "summary": "任务状态和进度", "operationId": "getJob",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "任务状态", "content": _json("#/components/schemas/Job")}, **_errors(401, 403, 404, 503)},
        }},
        "/api/v1/import": {"post": {
            "summary": "导入已有报告（粘贴的文本或 .docx），识别标题、各级标题、署名日期等，返回报告 JSON", "operationId": "importReport",
            "requestBody": {"required": True, "content": {
                "text/plain": {"schema": {"type": "string"}},
                "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                    "file": {"type": "string", "format": "binary", "description": ".txt 或 .docx"}}}},
            }},
            "responses": {"200": {"description": "识别出的报告（可能多份）和提示", "content": {"application/json": {"schema": {
                "type": "object", "required": ["reports", "warnings"], "properties": {
                    "reports": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}},
                    "warnings": {"type": "array", "items": {"type": "string"}}}}}}}, **_errors(400, 401, 403, 413, 415, 422)},
        }},
        "/api/v1/lint": {"post": {
            "summary": "检查任意 .docx 是否符合 GB/T 9704-2012", "operationId": "lintDocx",
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "format": "binary", "description": ".docx 文件"}}}}}},
            "responses": {"200": {"description": "检查结果；ok 表示没有 error 级问题", "content": _json("#/components/schemas/LintResult")}, **_errors(400, 401, 403, 413, 415, 422)},
        }},
        "/api/v1/unit-templates": {
            "post": {
                "summary": "上传单位模板（需要管理员密钥）", "operationId": "uploadUnitTemplate",
                "security": [{"bearer": []}],
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                    "file": {"type": "string", "format": "binary", "description": "含 {{ 正文 }} 等占位符的 .docx"},
                    "name": {"type": "string", "description": "模板名称；同名再次上传为新版本"}}}}}},
                "responses": {"201": {"description": "已保存", "content": _json("#/components/schemas/UnitTemplate")}, **_errors(400, 401, 403, 413, 415, 422, 503)},
            },
            "get": {
                "summary": "单位模板列表", "operationId": "listUnitTemplates",
                "responses": {"200": {"description": "列表", "content": {"application/json": {"schema": {"type": "object", "required": ["unit_templates"], "properties": {"unit_templates": {"type": "array", "items": {"$ref": "#/components/schemas/UnitTemplate"}}}}}}}, **_errors(401, 403)},
            },
        },
        "/api/v1/unit-templates/{id}": {
            "get": {
                "summary": "下载单位模板（最新版本）", "operationId": "getUnitTemplate",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": ".docx", "content": {DOCX: binary}}, **_errors(401, 403, 404)},
            },
            "delete": {
                "summary": "删除单位模板（全部版本，需要管理员密钥）", "operationId": "deleteUnitTemplate",
                "security": [{"bearer": []}],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "已删除"}, **_errors(401, 403, 404)},
            },
        },
        "/api/v1/jobs/{id}/result": {"get": {
            "summary": "任务结果 zip（完成后）", "operationId": "getJobResult",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "zip", "content": {"application/zip": binary}}, **_errors(401, 403, 404, 409, 503)},
        }},
    }


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    report = Report.model_json_schema(ref_template=REF)
    defs = report.pop("$defs", {})
    schemas = {
        **defs,
        "Report": report,
        "Error": _ERROR,
        "ErrorDetail": _ERROR_DETAIL,
        "Job": _JOB,
        "TemplateSummary": _TEMPLATE_SUMMARY,
        "UnitTemplate": _UNIT_TEMPLATE,
        "LintResult": _LINT_RESULT,
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "公文排版服务 API",
            "version": "1.0.0",
            "description": "把报告 JSON 排成符合 GB/T 9704-2012 的 Word 文档。错误均为 JSON："
            '{"error": {"code", "message", "details": [{"path", "message"}]}}。'
            "设置了 API_KEYS 时，/api/v1/ 下的接口需要 Authorization: Bearer <密钥>。",
        },
        "paths": _paths(),
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"bearer": []}],
    }

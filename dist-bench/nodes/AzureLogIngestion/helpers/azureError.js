"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseBody = parseBody;
exports.extractAzureError = extractAzureError;
const retry_1 = require("../../shared/retry");
function isBag(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function keyOf(bag, name) {
    const wanted = name.toLowerCase();
    for (const key of Object.keys(bag)) {
        if (key.toLowerCase() === wanted)
            return bag[key];
    }
    return undefined;
}
function text(value) {
    if (typeof value === 'string' && value.trim() !== '')
        return value.trim();
    if (typeof value === 'number')
        return String(value);
    return undefined;
}
function parseBody(body) {
    if (body instanceof Uint8Array) {
        return parseBody(new TextDecoder().decode(body));
    }
    if (body instanceof ArrayBuffer)
        return parseBody(new Uint8Array(body));
    if (typeof body !== 'string')
        return body;
    const trimmed = body.trim();
    if (trimmed === '')
        return undefined;
    try {
        return JSON.parse(trimmed);
    }
    catch {
        return trimmed;
    }
}
const MAX_TEXT_MESSAGE = 300;
function extractAzureError(headers, body) {
    const parsed = parseBody(body);
    let code = text((0, retry_1.headerValue)(headers, 'x-ms-error-code'));
    let message;
    if (isBag(parsed)) {
        const inner = keyOf(parsed, 'error');
        const container = isBag(inner) ? inner : parsed;
        code = code ?? text(keyOf(container, 'code'));
        message = text(keyOf(container, 'message'));
        if (!isBag(inner)) {
            code = code ?? text(inner);
            message = message ?? text(keyOf(parsed, 'error_description'));
        }
    }
    else if (typeof parsed === 'string') {
        message = parsed.length > MAX_TEXT_MESSAGE ? `${parsed.slice(0, MAX_TEXT_MESSAGE)}…` : parsed;
    }
    return { code, message };
}

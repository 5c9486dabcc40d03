"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.redactSecrets = redactSecrets;
function redactSecrets(text, secrets) {
    let result = text;
    for (const secret of secrets) {
        if (!secret || secret.length < 8)
            continue;
        result = result.split(secret).join('[redacted]');
    }
    return result.replace(/Bearer\s+[A-Za-z0-9\-._~+/]+=*/g, 'Bearer [redacted]');
}

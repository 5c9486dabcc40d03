"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_PAGE_SIZE = void 0;
exports.isGuid = isGuid;
exports.isWholeNumberInRange = isWholeNumberInRange;
exports.isValidInstance = isValidInstance;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
exports.MAX_PAGE_SIZE = 5000;
function isGuid(value) {
    return GUID.test(value.trim());
}
function isWholeNumberInRange(value, min, max) {
    return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
function isValidInstance(value) {
    return /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/i.test(value.trim());
}

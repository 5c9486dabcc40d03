"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BENCH_DCR = exports.BENCH_APP = exports.BENCH_TENANT = void 0;
exports.BENCH_TENANT = '0b1e0b1e-0000-4000-8000-00000000b1e0';
exports.BENCH_APP = {
    tenantId: exports.BENCH_TENANT,
    clientId: 'be0c0000-0000-4000-8000-0000000000aa',
    secret: 'bench-client-secret-value-not-a-real-one',
};
exports.BENCH_DCR = 'dcr-0123456789abcdef0123456789abcdef';

"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ThreatLockerTrigger = void 0;
const descriptions_1 = require("../shared/descriptions");
const description_1 = require("./description");
const poll_1 = require("./poll");
const runningPolls = new Set();
class ThreatLockerTrigger {
    description = {
        displayName: 'ThreatLocker Trigger',
        name: 'threatLockerTrigger',
        icon: { light: 'file:../ThreatLocker/threatLocker.svg', dark: 'file:../ThreatLocker/threatLocker.dark.svg' },
        group: ['trigger'],
        version: 1,
        subtitle: '={{$parameter["event"] === "loginAttempt" ? "New login attempt" : "New System Audit entry"}}',
        description: 'Starts the workflow on new ThreatLocker System Audit entries or Health Center login attempts, each exactly once',
        defaults: { name: 'ThreatLocker Trigger' },
        polling: true,
        inputs: [],
        outputs: descriptions_1.MAIN_CONNECTION,
        credentials: [{ name: 'threatLockerApi', required: true }],
        properties: description_1.triggerProperties,
    };
    async poll() {
        const config = (0, poll_1.readConfig)(this);
        if (this.getMode() === 'manual')
            return await (0, poll_1.fetchTestEvent)(this, config);
        const node = this.getNode();
        const key = `${this.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}`;
        if (runningPolls.has(key)) {
            this.logger.warn('ThreatLocker Trigger: the previous poll is still running; this one is skipped', {
                node: node.name,
            });
            return null;
        }
        runningPolls.add(key);
        try {
            return await (0, poll_1.pollForNewRecords)(this, config);
        }
        finally {
            runningPolls.delete(key);
        }
    }
}
exports.ThreatLockerTrigger = ThreatLockerTrigger;

/**
 * n8n-core starts one interval of its own (the SSH tunnel client manager's cleanup, created with
 * the first execution context) that n8n stops at shutdown. Tests stop it the same way after each
 * file, so jest exits on its own instead of waiting forever.
 */
import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

afterAll(() => {
	Container.get(SSHClientsManager).onShutdown();
});

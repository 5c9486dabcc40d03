/** URL checks shared by both services' credentials. */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Loopback hosts are the only place where plain http is acceptable (local tests, proxies). */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return LOOPBACK_HOSTS.has(host) || /^127(?:\.\d{1,3}){3}$/.test(host) || host.endsWith('.localhost');
}

/** Parses an absolute http(s) URL; undefined when it is not one. */
export function parseHttpUrl(value: string): URL | undefined {
	try {
		const url = new URL(value.trim());
		return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
	} catch {
		return undefined;
	}
}

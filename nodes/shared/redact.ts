/**
 * Secrets must never reach an error, a log line or an output item. Everything we build from a
 * service's answer or a transport error passes through here with the secrets in play.
 */
export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
	let result = text;
	for (const secret of secrets) {
		// Short values would redact ordinary words; real keys, secrets and tokens are long.
		if (!secret || secret.length < 8) continue;
		result = result.split(secret).join('[redacted]');
	}
	// Bearer tokens we did not know about (e.g. echoed by a proxy) are removed by shape.
	return result.replace(/Bearer\s+[A-Za-z0-9\-._~+/]+=*/g, 'Bearer [redacted]');
}

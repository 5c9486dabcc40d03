import { extractAzureError, parseBody } from '../../nodes/AzureLogIngestion/helpers/azureError';

describe('extractAzureError', () => {
	test('header code wins, message from the body', () => {
		expect(
			extractAzureError(
				{ 'x-ms-error-code': 'OperationFailed' },
				{ error: { code: 'Other', message: 'No role on the DCR.' } },
			),
		).toEqual({ code: 'OperationFailed', message: 'No role on the DCR.' });
	});

	test('keys matched case-insensitively, in the body and the headers', () => {
		expect(extractAzureError({ 'X-MS-Error-Code': 'A' }, '{"Error":{"Code":"B","Message":"Capitalised"}}')).toEqual({
			code: 'A',
			message: 'Capitalised',
		});
		expect(extractAzureError(undefined, { ERROR: { CODE: 'C', MESSAGE: 'Upper' } })).toEqual({
			code: 'C',
			message: 'Upper',
		});
	});

	test('flat bodies and OAuth-style bodies', () => {
		expect(extractAzureError({}, { code: 'Flat', message: 'm' })).toEqual({ code: 'Flat', message: 'm' });
		expect(extractAzureError({}, { error: 'invalid_client', error_description: 'd' })).toEqual({
			code: 'invalid_client',
			message: 'd',
		});
	});

	test('bytes, empty and non-JSON bodies', () => {
		expect(extractAzureError({}, Buffer.from('{"error":{"code":"X","message":"from bytes"}}'))).toEqual({
			code: 'X',
			message: 'from bytes',
		});
		expect(extractAzureError({}, '')).toEqual({ code: undefined, message: undefined });
		expect(extractAzureError({}, '<html>Bad Gateway</html>')).toEqual({
			code: undefined,
			message: '<html>Bad Gateway</html>',
		});
		expect(extractAzureError({}, 'x'.repeat(1000)).message).toHaveLength(301);
	});

	test('parseBody', () => {
		expect(parseBody('  ')).toBeUndefined();
		expect(parseBody('[1]')).toEqual([1]);
		expect(parseBody(new Uint8Array([123, 125]).buffer)).toEqual({});
	});
});

import type { INodeProperties } from 'n8n-workflow';

import * as upload from './upload.operation';

export { upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['log'] } },
		options: [
			{
				name: 'Upload',
				value: 'upload',
				description:
					'Send records to a Log Analytics / Microsoft Sentinel table through a Data Collection Rule',
				action: 'Upload records',
			},
		],
		default: 'upload',
	},
	...upload.description,
];

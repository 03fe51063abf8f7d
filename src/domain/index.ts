export * from './registry';
export * from './config';
export * from './messages';
export * from './rtkSelect';
export * from './datasets';
export * from './imports';
export * from './importProtocol';

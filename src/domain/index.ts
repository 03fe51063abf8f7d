export * from './registry';
export * from './config';
export * from './messages';
export * from './rtkSelect';
export * from './teacherSource';
export * from './teacherCompat';

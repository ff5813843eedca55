export { importUserTemplate, type ImportUserTemplateOptions } from './import-template.js';
export { buildUserTemplate, paramValueSchema } from './build-template.js';
export { saveUserTemplate, loadUserTemplate, listUserTemplates, userTemplatesDir } from './template-store.js';
export { userTemplateSchema, type UserTemplate, type UserTemplateParam, type ParamType } from './types.js';
export { InvalidParamPathError } from './errors/invalid-param-path-error.js';
export { InvalidUserTemplateError } from './errors/invalid-user-template-error.js';
export { UserTemplateNotFoundError } from './errors/user-template-not-found-error.js';

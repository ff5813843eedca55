import { StoryCoreError } from '../../../errors/storycore-error.js';

export class UserTemplateNotFoundError extends StoryCoreError {
  readonly templateName: string;

  constructor(name: string, path: string) {
    super('USER_TEMPLATE_NOT_FOUND', `no user template '${name}' (looked for ${path})`, {
      hint: 'import it first: storycore templates import <workflow.json> --name <name> --param <name>=<node>.inputs.<input>',
    });
    this.templateName = name;
  }
}

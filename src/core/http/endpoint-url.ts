import { registerDecorator, ValidationOptions } from 'class-validator';

/** A partner endpoint: an absolute http(s) URL with no credentials in it. */
export function isEndpointUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !!url.hostname;
  } catch {
    return false;
  }
}

export function IsEndpointUrl(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isEndpointUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an http(s) URL without credentials', ...options },
      validator: { validate: isEndpointUrl },
    });
}

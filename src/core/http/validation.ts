import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { FieldError, validationFailed } from './problem';

/**
 * DTO validation: unknown fields are rejected, every bad field is listed. Text with a NUL
 * character is refused too: PostgreSQL cannot store it, so it would otherwise end as a 500.
 */
class ApiValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const field = metadata.type === 'custom' ? null : fieldWithNul(value, metadata.data ?? '');
    if (field !== null) {
      return Promise.reject(
        validationFailed([{ field: field || metadata.type, message: 'text must not contain NUL characters' }]),
      );
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The path of the first string (or key) holding U+0000, or null when there is none. */
function fieldWithNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return field;
    const found = fieldWithNul(inner, field);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The field may be left out but not sent as null (unlike `@IsOptional()`, which lets null through):
 * for fields whose column is NOT NULL, so a null is a 400 rather than a failed insert.
 */
export const IsOptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

import { ApiBody } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/** Documents a request body from the same zod schema the use case validates with. */
export function ZodBody(schema: z.ZodType): MethodDecorator {
  return ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaObject });
}

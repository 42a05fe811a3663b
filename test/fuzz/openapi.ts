/** The little of OpenAPI 3 the fuzzer reads: operations, their parameters and JSON body schemas. */
export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  type?: string;
  enum?: unknown[];
  example?: unknown;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  /** `GET /api/v1/plans/{id}`: how reports name it. */
  id: string;
  method: string;
  path: string;
  parameters: Parameter[];
  /** The JSON body schema, dereferenced at the top; undefined when the operation takes no body. */
  body?: Schema;
}

interface Document {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>
  >;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

/** Every operation in the document, in document order. */
export function operationsOf(document: Document): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => {
        const body = operation.requestBody?.content?.['application/json']?.schema;
        return {
          id: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          parameters: operation.parameters ?? [],
          body: body && resolver(document)(body),
        };
      }),
  );
}

/** Follows `$ref` and merges `allOf`, so generators see plain schemas. */
export function resolver(document: Document): (schema: Schema) => Schema {
  const resolve = (schema: Schema): Schema => {
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = document.components?.schemas?.[name];
      if (!target) throw new Error(`The document has no schema ${schema.$ref}`);
      return resolve({ ...target, ...without(schema, '$ref') });
    }
    if (schema.allOf) {
      return schema.allOf.map(resolve).reduce((merged, part) => ({ ...merged, ...part }), without(schema, 'allOf'));
    }
    return schema;
  };
  return resolve;
}

function without(schema: Schema, key: keyof Schema): Schema {
  const { [key]: _, ...rest } = schema;
  return rest;
}

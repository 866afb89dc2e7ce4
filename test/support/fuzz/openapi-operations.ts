/** One operation of the OpenAPI document, as much as the fuzzer needs of it. */
export interface FuzzOperation {
  /** Upper case. */
  readonly method: string;
  /** The OpenAPI path template: `/api/device/{id}/status/`. */
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  /** The JSON schema its request body is validated with, when it has one. */
  readonly bodySchema?: object;
  /** Every method the document lists on the same path. */
  readonly methodsOnPath: readonly string[];
}

type Parameter = { readonly name: string; readonly in: string };
type Operation = {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: object }>> };
};
type Document = { readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>> };

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function namesIn(operation: Operation, place: string): string[] {
  return (operation.parameters ?? []).filter((parameter) => parameter.in === place).map((parameter) => parameter.name);
}

/** Every operation of an OpenAPI 3 document, in document order: the fuzzer's only list of routes. */
export function listOperations(document: unknown): FuzzOperation[] {
  const { paths } = document as Document;
  return Object.entries(paths).flatMap(([path, item]) => {
    const methods = Object.keys(item).filter((method) => HTTP_METHODS.has(method));
    return methods.map((method) => {
      const operation = item[method]!;
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      return {
        method: method.toUpperCase(),
        path,
        pathParams: namesIn(operation, 'path'),
        queryParams: namesIn(operation, 'query'),
        ...(bodySchema === undefined ? {} : { bodySchema }),
        methodsOnPath: methods.map((other) => other.toUpperCase()),
      };
    });
  });
}

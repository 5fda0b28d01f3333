/**
 * Cuts a feature extractor out of an ONNX model: the nodes needed to compute some internal tensors,
 * exposed as new float outputs through Identity nodes. The out-of-distribution checks read the
 * networks' own features (penultimate layer, U-Net bottleneck) without retraining or re-exporting
 * them (no PyTorch or onnx Python package at build time). Works on the protobuf wire format
 * directly; only the few ONNX fields it touches are interpreted, everything else is copied as is.
 * Node built-ins only.
 */

/** A protobuf field as read from the wire: number, wire type and its raw bytes (including the tag). */
interface RawField {
  field: number;
  wire: number;
  /** Payload of a length-delimited field (wire type 2); undefined otherwise. */
  payload?: Uint8Array;
  /** The whole field as it appeared (tag + value), for copying unchanged. */
  raw: Uint8Array;
}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('onnx: truncated varint');
    const b = buf[pos++] as number;
    // Beyond 2^53 precision is lost; only tags and lengths are interpreted, which are far smaller.
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
    if (shift > 63) throw new Error('onnx: varint too long');
  }
}

function parseFields(buf: Uint8Array): RawField[] {
  const out: RawField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, p1] = readVarint(buf, pos);
    pos = p1;
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let payload: Uint8Array | undefined;
    if (wire === 0) {
      [, pos] = readVarint(buf, pos);
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, pos);
      payload = buf.subarray(p2, p2 + len);
      pos = p2 + len;
    } else if (wire === 5) {
      pos += 4;
    } else {
      throw new Error(`onnx: unsupported wire type ${wire}`);
    }
    if (pos > buf.length) throw new Error('onnx: truncated field');
    out.push({ field, wire, payload, raw: buf.subarray(start, pos) });
  }
  return out;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function lenField(field: number, payload: Uint8Array): Uint8Array {
  const head = [...varint(field * 8 + 2), ...varint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

function varintField(field: number, value: number): Uint8Array {
  return Uint8Array.from([...varint(field * 8), ...varint(value)]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const str = (b: Uint8Array | undefined): string => (b === undefined ? '' : fromUtf8.decode(b));

/** ModelProto.graph = 7; GraphProto: node 1, initializer 5, input 11, output 12, value_info 13. */
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_OUTPUT = 12;
const GRAPH_VALUE_INFO = 13;
/** NodeProto: input 1, output 2, name 3, op_type 4. TensorProto: name 8. ValueInfoProto: name 1. */
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_OP = 4;
const TENSOR_NAME = 8;
const FLOAT = 1;

export interface OnnxNodeInfo {
  op: string;
  inputs: string[];
  outputs: string[];
}

function graphOf(model: Uint8Array): { modelFields: RawField[]; graphFields: RawField[] } {
  const modelFields = parseFields(model);
  const graph = modelFields.find((f) => f.field === MODEL_GRAPH && f.wire === 2);
  if (graph?.payload === undefined) throw new Error('onnx: the model has no graph');
  return { modelFields, graphFields: parseFields(graph.payload) };
}

function nodeInfo(f: RawField): OnnxNodeInfo {
  const fields = parseFields(f.payload ?? new Uint8Array());
  return {
    op: str(fields.find((x) => x.field === NODE_OP)?.payload),
    inputs: fields.filter((x) => x.field === NODE_INPUT).map((x) => str(x.payload)),
    outputs: fields.filter((x) => x.field === NODE_OUTPUT).map((x) => str(x.payload)),
  };
}

/** The graph's nodes in order (op type, input and output tensor names): to find the tensors to expose. */
export function listOnnxNodes(model: Uint8Array): OnnxNodeInfo[] {
  return graphOf(model)
    .graphFields.filter((f) => f.field === GRAPH_NODE)
    .map(nodeInfo);
}

/**
 * A model whose outputs are `outputs` (new name -> internal tensor name), each an Identity of that
 * tensor, typed float32 with the shape left to inference. Only the nodes and initializers the
 * outputs depend on are kept; graph inputs, opsets and metadata are copied unchanged.
 */
export function extractOnnxOutputs(model: Uint8Array, outputs: Record<string, string>): Uint8Array {
  const { modelFields, graphFields } = graphOf(model);
  const nodes = graphFields.filter((f) => f.field === GRAPH_NODE).map((f) => ({ f, info: nodeInfo(f) }));
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.info.outputs.forEach((o) => producer.set(o, i)));
  const needed = new Set<number>();
  const usedTensors = new Set<string>();
  const stack = Object.values(outputs);
  for (const t of stack) if (!producer.has(t)) throw new Error(`onnx: no node produces tensor "${t}"`);
  for (const name of Object.keys(outputs)) if (producer.has(name)) throw new Error(`onnx: output name "${name}" is already a tensor of the graph`);
  while (stack.length > 0) {
    const t = stack.pop() as string;
    usedTensors.add(t);
    const i = producer.get(t);
    if (i === undefined || needed.has(i)) continue;
    needed.add(i);
    for (const inp of (nodes[i] as { info: OnnxNodeInfo }).info.inputs) if (inp !== '') stack.push(inp);
  }
  const keptNodes: Uint8Array[] = [];
  const rest: Uint8Array[] = [];
  let nodeIndex = 0;
  for (const f of graphFields) {
    if (f.field === GRAPH_NODE) {
      if (needed.has(nodeIndex)) keptNodes.push(f.raw);
      nodeIndex++;
    } else if (f.field === GRAPH_INITIALIZER) {
      const name = str(parseFields(f.payload ?? new Uint8Array()).find((x) => x.field === TENSOR_NAME)?.payload);
      if (usedTensors.has(name)) rest.push(f.raw);
    } else if (f.field !== GRAPH_OUTPUT && f.field !== GRAPH_VALUE_INFO) {
      // value_info of dropped tensors would describe tensors that no longer exist
      rest.push(f.raw);
    }
  }
  // Identity nodes come after their producers (ONNX wants nodes in topological order).
  const identities: Uint8Array[] = [];
  const outs: Uint8Array[] = [];
  for (const [name, tensor] of Object.entries(outputs)) {
    identities.push(
      lenField(
        GRAPH_NODE,
        concat([
          lenField(NODE_INPUT, utf8.encode(tensor)),
          lenField(NODE_OUTPUT, utf8.encode(name)),
          lenField(3, utf8.encode(`expose_${name}`)),
          lenField(NODE_OP, utf8.encode('Identity')),
        ]),
      ),
    );
    // ValueInfoProto { name, type: TypeProto { tensor_type: { elem_type: FLOAT } } }
    const tensorType = varintField(1, FLOAT);
    const typeProto = lenField(1, tensorType);
    outs.push(lenField(GRAPH_OUTPUT, concat([lenField(1, utf8.encode(name)), lenField(2, typeProto)])));
  }
  const graphBytes = concat([...keptNodes, ...identities, ...rest, ...outs]);
  return concat(modelFields.map((f) => (f.field === MODEL_GRAPH ? lenField(MODEL_GRAPH, graphBytes) : f.raw)));
}

/**
 * Gives each tool call a stable `index` from the fragments of the wire. Fragments are keyed by
 * their wire `index`; a fragment without one (Mistral) takes its position in the array; a
 * different non-empty `id` at an index already in use starts a new call (gateways that send
 * parallel calls all at index 0).
 */
export class ToolCallIndexer {
  private readonly byWireIndex = new Map<number, { index: number; id: string | undefined }>();
  private next = 0;

  indexOf(wireIndex: number | null | undefined, position: number, id: string | null | undefined): number {
    const key = typeof wireIndex === 'number' ? wireIndex : position;
    const known = this.byWireIndex.get(key);
    if (known && !(id && known.id && id !== known.id)) {
      if (id && !known.id) known.id = id;
      return known.index;
    }
    const entry = { index: this.next++, id: id || undefined };
    this.byWireIndex.set(key, entry);
    return entry.index;
  }
}

// A stand-in for AnyWidget's model: traits Python would set, change events, and the
// messages a view sends, recorded for the tests to read.

export function fakeModel(values) {
  const handlers = new Map();
  return {
    sent: [],
    get: (name) => values[name],
    set(name, value) {
      values[name] = value;
      for (const callback of [...(handlers.get(`change:${name}`) ?? [])]) callback();
    },
    on(event, callback) {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event).add(callback);
    },
    off(event, callback) {
      handlers.get(event)?.delete(callback);
    },
    send(message) {
      this.sent.push(message);
    },
    listenerCount: () => [...handlers.values()].reduce((sum, set) => sum + set.size, 0),
  };
}

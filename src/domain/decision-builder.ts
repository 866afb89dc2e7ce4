/**
 * Accumulates the events of one decision, folding each into the state as it goes, so that a decision
 * can chain transitions and read the state between them. Domain emitters extend it.
 */
export class DecisionBuilder<Event, State> {
  readonly events: Event[] = [];

  constructor(
    public state: State,
    private readonly evolve: (state: State, event: Event) => State,
  ) {}

  emit(event: Event): this {
    this.events.push(event);
    this.state = this.evolve(this.state, event);
    return this;
  }
}

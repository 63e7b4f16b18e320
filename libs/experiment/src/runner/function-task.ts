import { Parameter, type Backend } from '@optlab/tensor';
import type { RunMetrics } from './events.js';
import { allFinite } from './divergence.js';
import type { PreparedFunction } from './prepared-task.js';
import { logParams } from './trajectory.js';
import type { Evaluation, TaskStart, TrainingTask } from './training-task.js';

/**
 * A test function: one parameter (a vector, or a matrix for a matrix start point), its gradient
 * computed on the host in float64 from the point read back at the last evaluation. Every update
 * is evaluated: f after the update, and the point (the trajectory).
 */
export class FunctionTask implements TrainingTask {
  #param: Parameter | null = null;
  /** The point read back by the last evaluation: where the next gradient is taken. */
  #point: Float64Array = new Float64Array(0);

  constructor(
    private readonly backend: Backend,
    private readonly task: PreparedFunction,
    private readonly totalSteps: number,
  ) {}

  async start(): Promise<TaskStart> {
    const { fn, shape } = this.task;
    const param = new Parameter(this.backend.tensor([...this.task.start], shape), fn.kind);
    this.#param = param;
    return {
      model: fn.name,
      parameters: [param],
      totalSteps: this.totalSteps,
      totalEpochs: null,
      stepsPerEpoch: null,
      scheduleInterval: 'step',
      evaluationEvent: 'step',
      lossName: 'the loss',
      initial: await this.evaluate(),
      events: [],
    };
  }

  step(): null {
    this.param.grad = this.backend.tensor(this.task.fn.grad(this.#point), this.task.shape);
    return null;
  }

  evaluatesAfter(): boolean {
    return true;
  }

  async evaluate(): Promise<Evaluation> {
    const point = Float64Array.from(await this.param.value.data());
    this.#point = point;
    return { loss: this.task.fn.f(point), point, paramsFinite: allFinite(point) };
  }

  async afterEvaluation(): Promise<[]> {
    return [];
  }

  epochAfter(): null {
    return null;
  }

  endsEpoch(): boolean {
    return false;
  }

  async finalMetrics(last: Evaluation): Promise<Partial<RunMetrics>> {
    const { params, paramsMode, paramsSample } = logParams(last.point ?? this.#point);
    return {
      finalParams: params,
      finalParamsMode: paramsMode,
      finalParamsSample: paramsSample ?? null,
    };
  }

  dispose(): void {
    this.#param?.dispose();
    this.#param = null;
  }

  private get param(): Parameter {
    if (!this.#param) throw new Error('FunctionTask: start() has not run, or dispose() has');
    return this.#param;
  }
}

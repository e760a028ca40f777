import type { PlannedStep } from '../../api/types.js';

/** The plan to show and what its buttons do. */
export interface PlanViewProps {
  steps: readonly PlannedStep[];
  /** `resume` when the plan is for resuming a failed run. */
  mode: 'run' | 'resume';
  busy?: boolean;
  /** True while `steps` is the plan of the previous choice and the server plans the one shown. */
  stale?: boolean;
  /** Run only: true when the plan reuses nothing from an earlier run ("Run every step again"). */
  fresh?: boolean;
  /** Run only: shows the choice "Run every step again" and is called when it is toggled. */
  onFresh?: ((fresh: boolean) => void) | undefined;
  onConfirm: () => void;
  onClose: () => void;
}

const LABELS: Record<PlannedStep['action'], string> = { reuse: 'reuse', cached: 'from cache', run: 'run' };

/**
 * What Run (or Resume) will do per step, and why (core's plan message), before anything runs; for a
 * Run, the choice to reuse nothing from the latest run.
 */
export function PlanView(props: PlanViewProps) {
  const { steps, mode, busy = false, stale = false, fresh = false, onFresh, onConfirm, onClose } = props;
  const running = steps.filter((step) => step.action === 'run').length;
  return (
    <div className="sw-overlay" role="dialog" aria-label="Run plan" aria-busy={stale}>
      <h3>
        {mode === 'resume' ? 'Resume' : 'Run'}:{' '}
        {stale ? 'planning…' : `${running} of ${steps.length} step${steps.length === 1 ? '' : 's'} will run`}
      </h3>
      <table className={stale ? 'sw-plan sw-plan-stale' : 'sw-plan'}>
        <thead>
          <tr>
            <th>Step</th>
            <th>Action</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <tr key={step.id} className={`sw-plan-${step.action}`}>
              <td>{step.id}</td>
              <td>{LABELS[step.action]}</td>
              <td>{step.action === 'run' ? step.message.replace(/^run: ?/, '') : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {mode === 'run' && onFresh && (
        <label className="sw-plan-fresh">
          <input type="checkbox" checked={fresh} disabled={busy} onChange={(event) => onFresh(event.target.checked)} />{' '}
          Run every step again (reuse nothing from the latest run)
        </label>
      )}
      <div className="sw-buttons">
        <button type="button" onClick={onConfirm} disabled={busy}>
          {mode === 'resume' ? 'Resume' : 'Run'}
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

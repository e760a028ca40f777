/**
 * @stepwise/ui: the visual workflow editor. A pure graph model (`graph/`) under React components;
 * the server is reached only through the {@link StepwiseApi} interface (`api/`).
 * @example
 * <Editor catalog={indexCatalog(await api.catalog())} document={saved.document} onChange={validate} />
 * @packageDocumentation
 */

export { type SseMessage, SseParser } from './api/event-stream.js';
export { createHttpApi, type HttpApiOptions } from './api/http-api.js';
// the server's API as the editor uses it
export {
  ApiError,
  type DataPage,
  type DownloadFormat,
  type PageColumn,
  type Plan,
  type PlannedStep,
  type QueuedRun,
  type RefInfo,
  type RunDetail,
  type RunPage,
  type RunQuery,
  type RunRequest,
  type RunSummary,
  SaveConflictError,
  type SavedWorkflow,
  type StartedRun,
  type StepShape,
  type StepwiseApi,
  type Unsubscribe,
  type Validation,
  type WorkflowSummary,
} from './api/types.js';
// the components
export { Canvas, type CanvasProps } from './components/canvas/Canvas.js';
export { Editor, type EditorProps } from './components/Editor.js';
export { Palette, type PaletteProps, STEP_MIME } from './components/palette/Palette.js';
export { DataPreview, type DataPreviewProps } from './components/panels/DataPreview.js';
export { HistoryList, type HistoryListProps } from './components/panels/HistoryList.js';
export { IssuesPanel, type IssuesPanelProps } from './components/panels/IssuesPanel.js';
export { PlanView, type PlanViewProps } from './components/panels/PlanView.js';
export { ShortcutsHelp } from './components/panels/ShortcutsHelp.js';
export { type FieldFocus, StepPanel, type StepPanelProps, type Validated } from './components/panels/StepPanel.js';
// forms: widgets chosen from the params schema
export type { StepFormContext } from './forms/form-context.js';
export { type StepWidget, uiSchemaFor, WIDGET_KEYWORD, widgetFor } from './forms/ui-schema.js';
// the graph model
export * as graph from './graph/index.js';
// keyboard shortcuts
export { type Command, SHORTCUTS, type Shortcut } from './keyboard/shortcuts.js';
// the run view: a reducer over core's run events
export { applyRunEvent, LOG_LINES, type RunView, runViewOf, type StepView } from './run/run-view.js';

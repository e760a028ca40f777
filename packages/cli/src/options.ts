/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  verbose?: boolean;
}

import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State { error: Error | null }

/** Shows a readable message instead of a blank page when a panel throws. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };
  static getDerivedStateFromError(error: Error): State { return { error }; }
  override componentDidCatch(error: Error, info: ErrorInfo): void { console.error(error, info.componentStack); }
  override render() {
    if (this.state.error) {
      return (
        <div role="alert" className="error">
          <h2>Something broke in the studio</h2>
          <p>{this.state.error.message}</p>
          <button type="button" onClick={() => window.location.reload()}>Reload</button>
        </div>
      );
    }
    return this.props.children;
  }
}

import { selectLastError } from '../state/selectors';
import { useHandles, useStudio } from './context';

export function ErrorBanner() {
  const message = useStudio(selectLastError);
  const { store } = useHandles();
  if (!message) return null;
  return (
    <div className="error" role="alert">
      {message}
      <button type="button" onClick={() => store.getState().setError(null)}>Dismiss</button>
    </div>
  );
}

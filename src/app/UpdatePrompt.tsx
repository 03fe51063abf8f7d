/**
 * Registers the service worker that makes the studio work offline (vite-plugin-pwa; what it
 * caches: vite.config.ts) and speaks for it: once the app is cached it says so, and when a new
 * version has been deployed and downloaded it offers to reload into it. Nothing reloads by
 * itself, so a training run in progress is never cut off.
 */
import { useRegisterSW } from 'virtual:pwa-register/react';

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisterError: (err: unknown) => console.warn(`Offline mode is off: the service worker did not register (${err instanceof Error ? err.message : String(err)}).`),
  });
  const reload = () => {
    // The library reloads once the new worker takes over, but only on a page that was already
    // controlled when it loaded; on a first visit's page (taken over by clientsClaim) it would not.
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    void updateServiceWorker(true);
  };
  if (needRefresh) {
    return (
      <div className="pwa-toast" role="alert" data-testid="update-prompt">
        <span>A new version of the studio is ready. Reload to use it (finish or stop a running training first).</span>
        <button type="button" onClick={reload}>Reload</button>
        <button type="button" onClick={() => setNeedRefresh(false)}>Later</button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div className="pwa-toast" role="status" data-testid="offline-ready">
        <span>The studio is saved in this browser and now works offline (built-in datasets once used).</span>
        <button type="button" onClick={() => setOfflineReady(false)}>OK</button>
      </div>
    );
  }
  return null;
}

import { useEffect, useState } from 'react';
import { fetchBlob } from '../providers/httpClient';

/** An image behind the token (stamps, signatures): fetched as a blob, shown from an object URL. */
export function ProtectedImage({ path, alt, height, onMissing }: { path: string; alt: string; height?: number; onMissing?: () => void }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    fetchBlob(path)
      .then((blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      })
      .catch(() => {
        if (!cancelled) onMissing?.();
      });
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [path]);
  return url ? <img src={url} alt={alt} style={{ height, maxWidth: '100%', objectFit: 'contain' }} /> : null;
}

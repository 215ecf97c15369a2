import Box from '@mui/material/Box';
import SignaturePadLib from 'signature_pad';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';

export interface SignaturePadHandle {
  isEmpty(): boolean;
  clear(): void;
  toDataURL(): string;
}

/** A handwriting pad (signature_pad) sized to its box and to the screen's pixel density. */
export const SignaturePad = forwardRef<SignaturePadHandle, { height?: number; onChange?: (empty: boolean) => void; label: string }>(function SignaturePad(
  { height = 200, onChange, label },
  ref,
) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePadLib | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext('2d')!.scale(ratio, ratio);
    const pad = new SignaturePadLib(canvas, { penColor: '#111', minWidth: 1, maxWidth: 3 });
    // Also while drawing: a finger's stroke may end without a pointerup the pad recognises (touch).
    const report = () => onChange?.(pad.isEmpty());
    pad.addEventListener('afterUpdateStroke', report);
    pad.addEventListener('endStroke', report);
    padRef.current = pad;
    return () => pad.off();
  }, []);

  useImperativeHandle(ref, () => ({
    isEmpty: () => padRef.current?.isEmpty() ?? true,
    clear: () => {
      padRef.current?.clear();
      onChange?.(true);
    },
    toDataURL: () => padRef.current!.toDataURL('image/png'),
  }));

  return (
    <Box sx={{ border: '2px dashed', borderColor: 'divider', borderRadius: 1, bgcolor: '#fffef8', height, touchAction: 'none' }}>
      <canvas ref={canvasRef} aria-label={label} data-testid="signature-pad" style={{ width: '100%', height: '100%', display: 'block', cursor: 'crosshair' }} />
    </Box>
  );
});

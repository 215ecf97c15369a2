/**
 * Image uploads (stamps, drawn signatures, evidence): the type is decided by the bytes alone —
 * never by the client's content type or file name — and the size and pixel dimensions are bounded.
 */
import { imageSize } from 'image-size';
import sharp from 'sharp';
import { sha256 } from '../audit';

export type ImageMediaType = 'image/png' | 'image/jpeg';

export const IMAGE_LIMITS = {
  /** Bytes of one uploaded image (a stamp scan or a drawn signature is far smaller). */
  maxBytes: 1024 * 1024,
  maxWidth: 4000,
  maxHeight: 4000,
  minSide: 16,
} as const;

/** A refused upload: what the user is told, in Chinese and English, and under which field. */
export class ImageRejected extends Error {
  constructor(
    public readonly code: 'not_an_image' | 'too_large' | 'bad_dimensions' | 'corrupt' | 'empty' | 'bad_data_url',
    message: string,
  ) {
    super(message);
  }
}

export interface CheckedImage {
  bytes: Buffer;
  mediaType: ImageMediaType;
  width: number;
  height: number;
  size: number;
  sha256: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_IEND = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** PNG or JPEG by magic bytes; null for anything else. */
export function sniffImageType(bytes: Buffer): ImageMediaType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/** A whole file, not just a valid header: a PNG ends with its IEND chunk, a JPEG with EOI. */
function isComplete(bytes: Buffer, type: ImageMediaType): boolean {
  if (type === 'image/png') return bytes.length > PNG_IEND.length && bytes.subarray(bytes.length - PNG_IEND.length).equals(PNG_IEND);
  // Some encoders pad after EOI; look for it near the end.
  const tail = bytes.subarray(Math.max(0, bytes.length - 64));
  for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
  return false;
}

export function checkImage(bytes: Buffer, limits: Partial<typeof IMAGE_LIMITS> = {}): CheckedImage {
  const max = { ...IMAGE_LIMITS, ...limits };
  if (bytes.length === 0) throw new ImageRejected('empty', '文件为空 / The file is empty');
  if (bytes.length > max.maxBytes) {
    throw new ImageRejected(
      'too_large',
      `图片不能超过 ${Math.floor(max.maxBytes / 1024)} KB / The image must be at most ${Math.floor(max.maxBytes / 1024)} KB`,
    );
  }
  const mediaType = sniffImageType(bytes);
  if (!mediaType) throw new ImageRejected('not_an_image', '只接受 PNG 或 JPEG 图片 / Only PNG or JPEG images are accepted');
  let dims: { width?: number; height?: number; type?: string };
  try {
    dims = imageSize(bytes);
  } catch {
    throw new ImageRejected('corrupt', '图片文件已损坏或不完整 / The image is damaged or incomplete');
  }
  const expectedType = mediaType === 'image/png' ? 'png' : 'jpg';
  if (dims.type !== expectedType || !dims.width || !dims.height || !isComplete(bytes, mediaType)) {
    throw new ImageRejected('corrupt', '图片文件已损坏或不完整 / The image is damaged or incomplete');
  }
  if (dims.width > max.maxWidth || dims.height > max.maxHeight || dims.width < max.minSide || dims.height < max.minSide) {
    throw new ImageRejected(
      'bad_dimensions',
      `图片尺寸应在 ${max.minSide}–${max.maxWidth}×${max.minSide}–${max.maxHeight} 像素之间，实际为 ${dims.width}×${dims.height} / ` +
        `The image must be between ${max.minSide} and ${max.maxWidth}×${max.maxHeight} pixels; it is ${dims.width}×${dims.height}`,
    );
  }
  return { bytes, mediaType, width: dims.width, height: dims.height, size: bytes.length, sha256: sha256(bytes) };
}

/**
 * `data:image/png;base64,...` → bytes. The declared type is ignored (the bytes decide); only the
 * shape of a base64 data URL is checked here.
 */
export function decodeDataUrl(value: unknown): Buffer {
  if (typeof value !== 'string') throw new ImageRejected('bad_data_url', '应为 data:image/...;base64, 形式的图片 / Expected a data:image/...;base64, URL');
  const match = /^data:[\w.+-]+\/[\w.+-]+(?:;[\w-]+=[\w.-]+)*;base64,([A-Za-z0-9+/\s]*={0,2})$/.exec(value);
  if (!match) throw new ImageRejected('bad_data_url', '应为 data:image/...;base64, 形式的图片 / Expected a data:image/...;base64, URL');
  // Decoding beyond the size limit is pointless: base64 is 4 characters per 3 bytes.
  const b64 = match[1].replace(/\s/g, '');
  if ((b64.length * 3) / 4 > IMAGE_LIMITS.maxBytes + 3) {
    throw new ImageRejected(
      'too_large',
      `图片不能超过 ${IMAGE_LIMITS.maxBytes / 1024} KB / The image must be at most ${IMAGE_LIMITS.maxBytes / 1024} KB`,
    );
  }
  return Buffer.from(b64, 'base64');
}

/**
 * The longest side an image is stored with. A signature or stamp prints a few centimetres wide; a
 * 4000×4000 upload only made every PDF that embeds it seconds slower (issue 10).
 */
export const STORED_MAX_SIDE = 1200;

/** The image as it is stored: scaled down (same type, aspect kept) when a side exceeds STORED_MAX_SIDE, else unchanged. */
export async function scaledForStorage(image: CheckedImage, maxSide = STORED_MAX_SIDE): Promise<CheckedImage> {
  if (image.width <= maxSide && image.height <= maxSide) return image;
  const resized = sharp(image.bytes).resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
  const { data, info } = await (image.mediaType === 'image/png' ? resized.png() : resized.jpeg({ quality: 90 })).toBuffer({ resolveWithObject: true });
  return { bytes: data, mediaType: image.mediaType, width: info.width, height: info.height, size: data.length, sha256: sha256(data) };
}

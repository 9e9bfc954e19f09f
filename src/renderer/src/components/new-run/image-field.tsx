import type { LocalImage } from '../../../../shared/api/types';
import type { ApiError } from '../../api/client';
import { formatBytes } from '../../lib/format';

interface ImageFieldProps {
  value: string;
  onChange(value: string): void;
  images: LocalImage[] | undefined;
  imagesError: ApiError | undefined;
  disabled: boolean;
}

/** Free text (any image the engine can pull) with the local images offered beside it. */
export function ImageField({ value, onChange, images, imagesError, disabled }: ImageFieldProps) {
  const known = images?.some((i) => i.ref === value) ?? false;
  return (
    <div className="image-field">
      <input
        id="field-image"
        className="input input-mono"
        data-testid="field-image"
        list="local-images"
        placeholder="lathe/python-sklearn:bookworm"
        value={value}
        disabled={disabled}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
      />
      <datalist id="local-images">
        {images?.map((img) => (
          <option key={img.ref} value={img.ref}>
            {formatBytes(img.sizeBytes)}
          </option>
        ))}
      </datalist>
      <select
        className="input image-select"
        data-testid="image-select"
        aria-label="Local images"
        disabled={disabled || !images || images.length === 0}
        value={known ? value : ''}
        onChange={(e) => e.target.value && onChange(e.target.value)}
        title={imagesError ? imagesError.message : undefined}
      >
        <option value="">{images ? (images.length === 0 ? 'No local images' : `Local images (${images.length})`) : imagesError ? 'Images unavailable' : 'Loading images…'}</option>
        {images?.map((img) => (
          <option key={img.ref} value={img.ref}>
            {img.ref} · {formatBytes(img.sizeBytes)}
          </option>
        ))}
      </select>
    </div>
  );
}

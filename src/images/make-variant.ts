// One variant from a source's bytes: oriented as the EXIF tag says, shrunk to a width
// (never enlarged) and encoded. sharp writes no metadata unless asked, so the EXIF
// block (GPS position, camera serial number), XMP and IPTC of the source are dropped;
// colours are converted to sRGB, which is what browsers assume of an untagged image.
import { openImage, timeoutSeconds, type DecodeLimits } from './decode-options.js';
import { ENCODER_SETTINGS, type VariantFormat } from './variant-formats.js';

export async function makeVariant(bytes: Buffer, width: number, format: VariantFormat, limits: DecodeLimits): Promise<Buffer> {
  const image = (await openImage(bytes, limits))
    .timeout({ seconds: timeoutSeconds(limits) })
    .resize({ width, withoutEnlargement: true });
  switch (format) {
    case 'avif':
      return image.avif(ENCODER_SETTINGS.avif).toBuffer();
    case 'webp':
      return image.webp(ENCODER_SETTINGS.webp).toBuffer();
    case 'jpg':
      return image.jpeg(ENCODER_SETTINGS.jpg).toBuffer();
    case 'png':
      return image.png(ENCODER_SETTINGS.png).toBuffer();
  }
}

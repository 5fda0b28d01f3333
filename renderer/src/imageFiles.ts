/** Which files the image attach accepts. DICOM files often have no extension at all, so those count too. */
export const IMAGE_EXTENSIONS = ['.dcm', '.png', '.jpg', '.jpeg', '.tif', '.tiff'] as const;

export function isAcceptedImageName(name: string): boolean {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  // No extension, or only a leading dot ("IM0001", ".hidden").
  if (dot <= 0) return true;
  return (IMAGE_EXTENSIONS as readonly string[]).includes(base.slice(dot).toLowerCase());
}

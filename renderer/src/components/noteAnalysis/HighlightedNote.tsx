import { memo, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { NoteEntity } from '../../../../electron/contract/ipcContract';
import { blocksOf, type TextBlock } from '../../note/noteResults';
import { entityLabelText } from './entityColours';

interface Props {
  text: string;
  entities: NoteEntity[];
  colours: Map<string, number>;
  labelledBy: string;
}

/** Blocks marked up per step: a 50-page note has thousands of marks; one commit of all would freeze the page. */
const BLOCKS_PER_STEP = 4;

type Describe = (e: NoteEntity) => { title: string; sr: string };

/** One translation per (label, assertion) pair, not per mark: the describer keeps its own cache. */
function describerFor(t: TFunction): Describe {
  const cache = new Map<string, { title: string; sr: string }>();
  return (e) => {
    const key = `${e.label}\u0000${e.assertion}`;
    let d = cache.get(key);
    if (!d) {
      const label = entityLabelText(e.label);
      const assertion = t(`note.assertion.${e.assertion}`);
      d = { title: t('note.entityTitle', { label, assertion }), sr: t('note.entitySr', { label, assertion }) };
      cache.set(key, d);
    }
    return d;
  };
}

/**
 * The analysed note with its entities marked: plain text runs and <mark> elements, never HTML
 * from the note. Each mark carries its label and assertion as text for screen readers too. The
 * whole text shows at once, in blocks laid out separately; marks are filled in a few blocks at a
 * time (key the component by analysis so a new one starts over).
 */
export function HighlightedNote({ text, entities, colours, labelledBy }: Props) {
  const { t } = useTranslation();
  const blocks = useMemo(() => blocksOf(text, entities), [text, entities]);
  const [marked, setMarked] = useState(BLOCKS_PER_STEP);

  useEffect(() => {
    if (marked >= blocks.length) return;
    const id = setTimeout(() => setMarked((n) => n + BLOCKS_PER_STEP), 0);
    return () => clearTimeout(id);
  }, [marked, blocks.length]);

  const describe = useMemo(() => describerFor(t), [t]);

  return (
    <div className="note-highlight" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {blocks.map((block, i) => (
        <NoteBlock key={block.start} block={block} text={text} marked={i < marked} colours={colours} describe={describe} />
      ))}
    </div>
  );
}

interface BlockProps {
  block: TextBlock<NoteEntity>;
  text: string;
  marked: boolean;
  colours: Map<string, number>;
  describe: Describe;
}

const NoteBlock = memo(function NoteBlock({ block, text, marked, colours, describe }: BlockProps) {
  if (!marked) return <div className="note-block">{text.slice(block.start, block.end)}</div>;
  return (
    <div className="note-block">
      {block.segments.map((seg) => {
        if (!seg.span) return <span key={seg.start}>{seg.text}</span>;
        const e = seg.span;
        const d = describe(e);
        return (
          <mark
            key={seg.start}
            className={`entity entity-c${colours.get(e.label) ?? 0} assertion-${e.assertion}`}
            data-label={e.label}
            data-assertion={e.assertion}
            title={d.title}
          >
            {seg.text}
            <span className="sr-only">{d.sr}</span>
          </mark>
        );
      })}
    </div>
  );
});

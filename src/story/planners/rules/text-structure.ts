/** A slugline such as `INT. LANTERN ROOM - NIGHT`. */
export interface Slugline {
  interior: boolean;
  place: string;
  time?: string;
}

/** A scene as the text lays it out, before shots are cut. */
export interface TextScene {
  heading?: string;
  slugline?: Slugline;
  paragraphs: string[];
}

export interface TextStructure {
  title?: string;
  scenes: TextScene[];
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const BREAK = /^\s*(?:-{3,}|\*{3,}|_{3,}|(?:\*\s*){3,})\s*$/;
const SLUGLINE = /^\s*(INT\.?\/EXT|EXT\.?\/INT|I\/E|INT|EXT)\.?\s+(.+?)(?:\s+[-–—]+\s+(.+?))?\s*$/;

export function parseSlugline(line: string): Slugline | undefined {
  const match = SLUGLINE.exec(line);
  if (!match || match[2] === undefined) return undefined;
  const kind = match[1]!.toUpperCase();
  return { interior: kind.startsWith('INT') || kind === 'I/E', place: match[2], ...(match[3] ? { time: match[3] } : {}) };
}

/**
 * Splits a story into scenes: Markdown headings, `---`/`***` breaks and INT./EXT. sluglines
 * start scenes; with none of those, two or more blank lines do. A lone leading `# Heading`
 * (with other headings or none at all after it) is the title.
 */
export function parseTextStructure(text: string): TextStructure {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const headings = lines.map((line, index) => ({ match: HEADING.exec(line), index })).filter((h) => h.match);
  const firstContent = lines.findIndex((line) => line.trim() !== '');
  let title: string | undefined;
  const h1 = headings.filter((h) => h.match![1] === '#');
  const first = headings[0];
  if (first && first.index === firstContent && h1.length === 1 && first.match![1] === '#') {
    title = clean(first.match![2]!);
    lines[first.index] = '';
  }
  const hasMarkers = lines.some((line) => HEADING.test(line) || BREAK.test(line) || parseSlugline(line));

  const scenes: TextScene[] = [];
  let current: TextScene = { paragraphs: [] };
  let paragraph: string[] = [];
  let blankRun = 0;
  const flushParagraph = () => {
    if (paragraph.length) current.paragraphs.push(clean(paragraph.join(' ')));
    paragraph = [];
  };
  const startScene = (scene: TextScene = { paragraphs: [] }) => {
    flushParagraph();
    if (current.paragraphs.length || current.heading || current.slugline) scenes.push(current);
    current = scene;
  };

  for (const line of lines) {
    if (line.trim() === '') {
      blankRun++;
      flushParagraph();
      if (!hasMarkers && blankRun === 2 && current.paragraphs.length) startScene();
      continue;
    }
    blankRun = 0;
    const heading = HEADING.exec(line);
    const slug = heading ? undefined : parseSlugline(line);
    if (heading) {
      startScene({ heading: clean(heading[2]!), paragraphs: [] });
    } else if (BREAK.test(line)) {
      startScene();
    } else if (slug) {
      // A slugline right under a heading belongs to that heading's scene.
      if (current.paragraphs.length || paragraph.length || current.slugline) startScene();
      current.slugline = slug;
    } else {
      paragraph.push(line.trim().replace(/^(?:>\s*|[-*+]\s+|\d+[.)]\s+)/, ''));
    }
  }
  startScene();
  return { ...(title ? { title } : {}), scenes: scenes.filter((s) => s.paragraphs.length > 0) };
}

/** Strips Markdown emphasis and code marks, and squeezes spaces. */
function clean(text: string): string {
  return text
    .replace(/(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

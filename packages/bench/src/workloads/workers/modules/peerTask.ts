/** The task module piscina and tinypool load: `x => x + 1`. */
export default (x: number): number => x + 1;

/** Width of a layer node on the canvas; layout and placement use it too. */
export const NODE_WIDTH = 220;

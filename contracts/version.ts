/** The app's version, shown in the UI and written into run directories. */
export const APP_VERSION = '0.1.0';

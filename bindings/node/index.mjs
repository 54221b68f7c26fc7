// hullcheck for Node as an ES module: the same native module as index.js.
import native from './index.js'

export const { Catalog, Engine, FleetReport, Report, boundaryCheck, diff, runCli } = native
export default native

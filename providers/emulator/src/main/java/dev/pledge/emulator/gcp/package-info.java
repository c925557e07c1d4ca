/**
 * GCP in the emulator: Compute Engine regional commitments ({@code compute/v1}) for {@code gcp-compute}.
 *
 * <table>
 *   <caption>Calls (operation names are what faults and request counts match)</caption>
 *   <tr><th>request</th><th>operation</th><th>kind</th></tr>
 *   <tr><td>{@code POST /compute/v1/projects/{p}/regions/{r}/commitments?requestId=}</td>
 *       <td>{@code RegionCommitments.insert}</td><td>PURCHASE</td></tr>
 *   <tr><td>{@code GET .../commitments/{name}}</td><td>{@code RegionCommitments.get}</td><td>LOOKUP</td></tr>
 *   <tr><td>{@code GET .../commitments}</td><td>{@code RegionCommitments.list}</td><td>LOOKUP</td></tr>
 *   <tr><td>{@code GET .../operations/{operation}}</td><td>{@code RegionOperations.get}</td><td>OTHER</td></tr>
 * </table>
 *
 * <p>An insert answers an operation {@code RUNNING}; polls answer RUNNING for the offering's
 * {@code operationPolls} polls (attribute, default 1), then {@code DONE}, and the commitment is
 * {@code NOT_YET_ACTIVE} (it starts the next day). The same {@code requestId} again returns the same
 * operation and buys nothing; the same name with another requestId returns an operation that ends
 * {@code DONE} with {@code httpErrorStatusCode} 409 and error {@code RESOURCE_ALREADY_EXISTS}. A zero or
 * malformed requestId, a name that is not RFC 1035, or resources without VCPU and MEMORY are 400.
 * Errors use Google's shape {@code {"error":{"code","message","errors":[{"reason"}]}}}. The catalog seeds
 * a few commitment types in europe-west1, europe-west4, us-central1 and us-east1 for 1y and 3y.
 */
package dev.pledge.emulator.gcp;

/**
 * Azure in the emulator: the order-alias purchase API of {@code Microsoft.BillingBenefits}
 * (api-version 2022-11-01) for {@code azure-reservation} and {@code azure-savings-plan}.
 *
 * <table>
 *   <caption>Calls (operation names are what faults and request counts match)</caption>
 *   <tr><th>request</th><th>operation</th><th>kind</th></tr>
 *   <tr><td>{@code PUT /providers/Microsoft.BillingBenefits/reservationOrderAliases/{alias}}</td>
 *       <td>{@code ReservationOrderAlias_Create}</td><td>PURCHASE</td></tr>
 *   <tr><td>{@code GET .../reservationOrderAliases/{alias}}</td><td>{@code ReservationOrderAlias_Get}</td><td>LOOKUP</td></tr>
 *   <tr><td>{@code GET /providers/Microsoft.Capacity/reservations}</td><td>{@code ReservationOrderAlias_ListPurchases}</td><td>LOOKUP</td></tr>
 *   <tr><td>{@code GET /providers/Microsoft.BillingBenefits/operations/reservation_{alias}}</td>
 *       <td>{@code ReservationOrderAlias_OperationStatus}</td><td>OTHER</td></tr>
 *   <tr><td>{@code GET /providers/Microsoft.BillingBenefits/operationResults/reservation_{alias}}</td>
 *       <td>{@code ReservationOrderAlias_OperationResult}</td><td>OTHER</td></tr>
 *   <tr><td>{@code POST /providers/Microsoft.Capacity/calculatePrice}</td><td>{@code Reservation_CalculatePrice}</td>
 *       <td>OFFERINGS</td></tr>
 *   <tr><td>the same for {@code savingsPlanOrderAliases} (list: {@code GET /providers/Microsoft.BillingBenefits/savingsPlans})</td>
 *       <td>{@code SavingsPlanOrderAlias_*}</td><td></td></tr>
 * </table>
 *
 * <p>Every call needs {@code Authorization: Bearer <anything>} (401 otherwise) and {@code api-version} (400).
 * A new alias answers 201 (reservations) or 202 (savings plans) with {@code Azure-AsyncOperation} and
 * {@code Location}; the operation answers {@code InProgress} for the offering's {@code operationPolls}
 * polls (attribute, default 1), then {@code Succeeded}, and the Location then answers 200 with the alias.
 * A second PUT of an existing alias buys nothing and answers 200 with the existing order; setting the
 * offering attribute {@code duplicateAlias=conflict} (through {@code POST /__pledge/offerings}) makes it
 * answer 409 {@code Conflict} instead. Errors use ARM's shape {@code {"error":{"code","message"}}}.
 * The catalog seeds a few VM SKUs in westeurope, northeurope, eastus and westus2 (1y/3y, upfront/monthly)
 * and {@code Compute_Savings_Plan} in the pseudo-region {@code global} (1y/3y/5y).
 */
package dev.pledge.emulator.azure;

/**
 * react-admin's <List>, except that a filter change arriving after the user has left the list is
 * dropped. The filter form applies what is typed 500 ms later; a row clicked in between navigates
 * to the record, but the router keeps the list on screen (and mounted) while the record's page
 * loads, so the late filter used to navigate back to the list and the click was lost.
 */
import { useCallback, useMemo, type ReactNode } from 'react';
import { ListBase, ListContextProvider, ListView, Loading, useListContext, type ListProps, type RaRecord } from 'react-admin';
import { useLocation } from 'react-router-dom';

/** The path the browser is at now (the console routes by hash), whatever React still shows. */
const currentPath = () => window.location.hash.replace(/^#/, '').split('?')[0] || '/';

function DropFiltersAfterLeaving({ children }: { children: ReactNode }) {
  const context = useListContext();
  const { pathname } = useLocation();
  const { setFilters } = context;
  const guarded = useCallback<typeof setFilters>(
    (...args) => {
      if (currentPath() !== pathname) return;
      setFilters(...args);
    },
    [setFilters, pathname],
  );
  const value = useMemo(() => ({ ...context, setFilters: guarded }), [context, guarded]);
  return <ListContextProvider value={value}>{children}</ListContextProvider>;
}

const defaultFilter = {};
const defaultAuthLoading = <Loading />;

export function List<RecordType extends RaRecord = RaRecord>(props: ListProps<RecordType>) {
  const { debounce, disableAuthentication, disableSyncWithLocation, exporter, filter = defaultFilter, filterDefaultValues, authLoading = defaultAuthLoading, loading, perPage = 10, queryOptions, resource, sort, storeKey, render, ...rest } = props;
  return (
    <ListBase<RecordType>
      debounce={debounce}
      disableAuthentication={disableAuthentication}
      disableSyncWithLocation={disableSyncWithLocation}
      exporter={exporter}
      filter={filter}
      filterDefaultValues={filterDefaultValues}
      authLoading={authLoading}
      loading={loading}
      perPage={perPage}
      queryOptions={queryOptions}
      resource={resource}
      sort={sort}
      storeKey={storeKey}
      offline={false}
    >
      <DropFiltersAfterLeaving>
        <ListView<RecordType> {...rest} render={render} />
      </DropFiltersAfterLeaving>
    </ListBase>
  );
}
